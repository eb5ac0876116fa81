//! Mutable traversal of the IR: every expression (post-order: children first) and every query,
//! so passes can rewrite without writing their own walkers.

use super::*;

/// A rewriter: override what you need. `expr` is called bottom-up on every expression;
/// `query` on every query before its parts are visited (so a rewrite can restructure FROM
/// and WHERE); `select` on every SELECT after its expressions were visited.
pub trait VisitMut {
    fn expr(&mut self, _e: &mut Expr) {}
    /// Called on every statement before its parts are walked (top-down).
    fn stmt(&mut self, _s: &mut Stmt) {}
    fn query(&mut self, _q: &mut Query) {}
    /// Called before a SELECT's parts are visited (push a scope here; `select` pops it).
    fn enter_select(&mut self, _s: &mut Select) {}
    fn select(&mut self, _s: &mut Select) {}
    fn ident(&mut self, _i: &mut Ident) {}
    fn qname(&mut self, q: &mut QName) {
        for p in &mut q.parts {
            self.ident(p);
        }
    }
    fn type_ref(&mut self, _t: &mut TypeRef) {}
}

pub fn walk_stmt<V: VisitMut + ?Sized>(v: &mut V, s: &mut Stmt) {
    v.stmt(s);
    match s {
        Stmt::CreateTable(t) => walk_table(v, t),
        Stmt::AlterTable(a) => {
            v.qname(&mut a.table);
            for act in &mut a.actions {
                match act {
                    AlterAction::AddColumns(cs) | AlterAction::ModifyColumns(cs) => {
                        for c in cs {
                            walk_column(v, c);
                        }
                    }
                    AlterAction::DropColumns(ids) => {
                        for i in ids {
                            v.ident(i);
                        }
                    }
                    AlterAction::AddConstraint(c) => walk_constraint(v, c),
                    AlterAction::DropConstraint(i) | AlterAction::RenameTo(i) => v.ident(i),
                    AlterAction::RenameColumn { from, to } => {
                        v.ident(from);
                        v.ident(to);
                    }
                    AlterAction::Other { .. } => {}
                }
            }
        }
        Stmt::CreateIndex(i) => {
            v.qname(&mut i.name);
            v.qname(&mut i.table);
            for c in &mut i.columns {
                walk_expr(v, &mut c.expr);
            }
            if let Some(w) = &mut i.where_ {
                walk_expr(v, w);
            }
            for c in &mut i.include {
                v.ident(c);
            }
        }
        Stmt::CreateSequence(s) => {
            if let Some(n) = &mut s.name {
                v.qname(n);
            }
        }
        Stmt::CreateView(view) => {
            v.qname(&mut view.name);
            for c in &mut view.columns {
                v.ident(c);
            }
            walk_query(v, &mut view.query);
        }
        Stmt::CreateSynonym(s) => {
            v.qname(&mut s.name);
            v.qname(&mut s.target);
        }
        Stmt::CreateSchema(i) | Stmt::CreateRole(i) => v.ident(i),
        Stmt::CreateUser(u) => v.ident(&mut u.name),
        Stmt::Comment(c) => v.qname(&mut c.name),
        Stmt::Grant(g) => {
            if let Some(o) = &mut g.on {
                v.qname(o);
            }
            for i in &mut g.grantees {
                v.ident(i);
            }
        }
        Stmt::Insert(i) => {
            v.qname(&mut i.table);
            if let Some(a) = &mut i.alias {
                v.ident(a);
            }
            for c in &mut i.columns {
                v.ident(c);
            }
            match &mut i.source {
                InsertSource::Values(rows) => {
                    for r in rows {
                        for e in r {
                            walk_expr(v, e);
                        }
                    }
                }
                InsertSource::Query(q) => walk_query(v, q),
                InsertSource::DefaultValues => {}
                InsertSource::Record(e) => walk_expr(v, e),
            }
        }
        Stmt::Update(u) => {
            v.qname(&mut u.table);
            if let Some(a) = &mut u.alias {
                v.ident(a);
            }
            for (cols, e) in &mut u.set {
                for c in cols {
                    v.ident(c);
                }
                walk_expr(v, e);
            }
            for t in &mut u.from {
                walk_table_ref(v, t);
            }
            if let Some(w) = &mut u.where_ {
                walk_expr(v, w);
            }
        }
        Stmt::Delete(d) => {
            v.qname(&mut d.table);
            if let Some(a) = &mut d.alias {
                v.ident(a);
            }
            for t in &mut d.using {
                walk_table_ref(v, t);
            }
            if let Some(w) = &mut d.where_ {
                walk_expr(v, w);
            }
        }
        Stmt::Merge(m) => {
            v.qname(&mut m.table);
            if let Some(a) = &mut m.alias {
                v.ident(a);
            }
            walk_table_ref(v, &mut m.source);
            walk_expr(v, &mut m.on);
            for c in &mut m.clauses {
                if let Some(e) = &mut c.cond {
                    walk_expr(v, e);
                }
                if let Some(e) = &mut c.delete_where {
                    walk_expr(v, e);
                }
                match &mut c.action {
                    MergeAction::Update(set) => {
                        for (cols, e) in set {
                            for c in cols {
                                v.ident(c);
                            }
                            walk_expr(v, e);
                        }
                    }
                    MergeAction::Delete => {}
                    MergeAction::Insert { columns, values } => {
                        for c in columns {
                            v.ident(c);
                        }
                        for e in values.iter_mut().flatten() {
                            walk_expr(v, e);
                        }
                    }
                }
            }
            for s in &mut m.replaced_by {
                walk_stmt(v, s);
            }
        }
        Stmt::Query(q) => walk_query(v, q),
        Stmt::CreateRoutine(r) => walk_routine(v, r),
        Stmt::CreateTrigger(t) => walk_trigger(v, t),
        Stmt::AnonymousBlock(b) => walk_block(v, b),
        Stmt::CreatePackage(pk) => {
            v.qname(&mut pk.name);
            // Declarations through a block without statements.
            let mut decls = plsql::Block {
                label: None,
                decls: std::mem::take(&mut pk.decls),
                body: Vec::new(),
                handlers: Vec::new(),
                span: Default::default(),
            };
            walk_block(v, &mut decls);
            pk.decls = decls.decls;
            for r in pk.routines.iter_mut().chain(pk.declared.iter_mut()) {
                walk_routine(v, r);
            }
            if let Some(b) = &mut pk.init {
                walk_block(v, b);
            }
        }
        Stmt::CreateType(t) => {
            v.qname(&mut t.name);
            for (a, ty) in &mut t.attributes {
                v.ident(a);
                v.type_ref(ty);
            }
            if let Some(e) = &mut t.collection_of {
                v.type_ref(e);
            }
        }
        Stmt::Routine(_) | Stmt::Ignored { .. } | Stmt::Opaque { .. } => {}
    }
}

pub fn walk_routine<V: VisitMut + ?Sized>(v: &mut V, r: &mut plsql::Routine) {
    v.qname(&mut r.name);
    walk_params(v, &mut r.params);
    if let Some(t) = &mut r.returns {
        v.type_ref(t);
    }
    walk_block(v, &mut r.body);
}

pub fn walk_trigger<V: VisitMut + ?Sized>(v: &mut V, t: &mut plsql::Trigger) {
    v.qname(&mut t.name);
    v.qname(&mut t.table);
    for e in &mut t.events {
        for c in &mut e.columns {
            v.ident(c);
        }
    }
    for (_, a) in &mut t.referencing {
        v.ident(a);
    }
    if let Some(w) = &mut t.when {
        walk_expr(v, w);
    }
    if let Some(f) = &mut t.function {
        v.qname(f);
    }
    walk_block(v, &mut t.body);
}

fn walk_params<V: VisitMut + ?Sized>(v: &mut V, ps: &mut [plsql::Param]) {
    for p in ps {
        v.ident(&mut p.name);
        v.type_ref(&mut p.ty);
        if let Some(d) = &mut p.default {
            walk_expr(v, d);
        }
    }
}

/// Declarations, statements and handlers of a block (exception names in handlers are source
/// names, decided on by the plsql pass, and are not visited).
pub fn walk_block<V: VisitMut + ?Sized>(v: &mut V, b: &mut plsql::Block) {
    use plsql::Decl;
    if let Some(l) = &mut b.label {
        v.ident(l);
    }
    for d in &mut b.decls {
        match d {
            Decl::Var {
                name, ty, default, ..
            } => {
                v.ident(name);
                v.type_ref(ty);
                if let Some(e) = default {
                    walk_expr(v, e);
                }
            }
            Decl::Exception { name, .. } => v.ident(name),
            Decl::TypeDecl { name, def, .. } => {
                v.ident(name);
                match def {
                    Some(plsql::TypeDef::Record(fields)) => {
                        for (f, t) in fields {
                            v.ident(f);
                            v.type_ref(t);
                        }
                    }
                    Some(plsql::TypeDef::Collection { elem, index_by, .. }) => {
                        v.type_ref(elem);
                        if let Some(t) = index_by {
                            v.type_ref(t);
                        }
                    }
                    Some(plsql::TypeDef::Subtype(t)) => v.type_ref(t),
                    Some(plsql::TypeDef::RefCursor) | None => {}
                }
            }
            Decl::Pragma { args, .. } => {
                for a in args {
                    walk_expr(v, a);
                }
            }
            Decl::Cursor {
                name,
                params,
                query,
                ..
            } => {
                v.ident(name);
                walk_params(v, params);
                walk_query(v, query);
            }
        }
    }
    walk_pl_stmts(v, &mut b.body);
    for h in &mut b.handlers {
        walk_pl_stmts(v, &mut h.body);
    }
}

pub fn walk_pl_stmts<V: VisitMut + ?Sized>(v: &mut V, stmts: &mut [plsql::PlStmt]) {
    for s in stmts {
        walk_pl_stmt(v, s);
    }
}

fn walk_exprs<V: VisitMut + ?Sized>(v: &mut V, es: &mut [Expr]) {
    for e in es {
        walk_expr(v, e);
    }
}

pub fn walk_pl_stmt<V: VisitMut + ?Sized>(v: &mut V, s: &mut plsql::PlStmt) {
    use plsql::{CursorSource, LoopKind, PlStmt};
    match s {
        PlStmt::Assign { target, value, .. } => {
            walk_expr(v, target);
            walk_expr(v, value);
        }
        PlStmt::If {
            branches, else_, ..
        } => {
            for (c, b) in branches {
                walk_expr(v, c);
                walk_pl_stmts(v, b);
            }
            if let Some(b) = else_ {
                walk_pl_stmts(v, b);
            }
        }
        PlStmt::Case {
            operand,
            whens,
            else_,
            ..
        } => {
            if let Some(o) = operand {
                walk_expr(v, o);
            }
            for (c, b) in whens {
                walk_expr(v, c);
                walk_pl_stmts(v, b);
            }
            if let Some(b) = else_ {
                walk_pl_stmts(v, b);
            }
        }
        PlStmt::Loop {
            label, kind, body, ..
        } => {
            if let Some(l) = label {
                v.ident(l);
            }
            match kind {
                LoopKind::Plain => {}
                LoopKind::While(c) => walk_expr(v, c),
                LoopKind::Range { var, low, high, .. } => {
                    v.ident(var);
                    walk_expr(v, low);
                    walk_expr(v, high);
                }
                LoopKind::Cursor { var, source } => {
                    v.ident(var);
                    match source {
                        CursorSource::Query(q) => walk_query(v, q),
                        CursorSource::Named { name, args } => {
                            v.qname(name);
                            for a in args {
                                if let Some(n) = &mut a.name {
                                    v.ident(n);
                                }
                                walk_expr(v, &mut a.value);
                            }
                        }
                    }
                }
            }
            walk_pl_stmts(v, body);
        }
        PlStmt::Exit { label, when, .. } => {
            if let Some(l) = label {
                v.ident(l);
            }
            if let Some(w) = when {
                walk_expr(v, w);
            }
        }
        PlStmt::Goto { label, .. } | PlStmt::Label { label, .. } => v.ident(label),
        PlStmt::Null(_)
        | PlStmt::Commit(_)
        | PlStmt::StartTransaction(_)
        | PlStmt::Raise { .. } => {}
        PlStmt::Return { value, .. } => {
            if let Some(e) = value {
                walk_expr(v, e);
            }
        }
        PlStmt::RaiseError { message, .. } => walk_expr(v, message),
        PlStmt::Notice { value, .. }
        | PlStmt::PipeRow { value, .. }
        | PlStmt::SetState { value, .. } => walk_expr(v, value),
        PlStmt::RowCount { target, .. } => v.ident(target),
        PlStmt::ForAll {
            var, bounds, body, ..
        } => {
            v.ident(var);
            match bounds {
                plsql::ForAllBounds::Range(a, b) => {
                    walk_expr(v, a);
                    walk_expr(v, b);
                }
                plsql::ForAllBounds::Indices(q) | plsql::ForAllBounds::Values(q) => v.qname(q),
            }
            walk_pl_stmt(v, body);
        }
        PlStmt::GetDiagnostics { items, .. } => {
            for (t, _) in items {
                v.ident(t);
            }
        }
        PlStmt::Call { call, .. } => walk_expr(v, call),
        PlStmt::SelectInto { query, into, .. } => {
            walk_query(v, query);
            walk_exprs(v, into);
        }
        PlStmt::Dml {
            stmt,
            returning,
            into,
            ..
        } => {
            walk_stmt(v, stmt);
            walk_exprs(v, returning);
            walk_exprs(v, into);
        }
        PlStmt::Execute {
            sql, into, using, ..
        } => {
            walk_expr(v, sql);
            walk_exprs(v, into);
            walk_exprs(v, using);
        }
        PlStmt::Open {
            cursor,
            args,
            for_query,
            for_dynamic,
            using,
            ..
        } => {
            v.qname(cursor);
            for a in args {
                if let Some(n) = &mut a.name {
                    v.ident(n);
                }
                walk_expr(v, &mut a.value);
            }
            if let Some(q) = for_query {
                walk_query(v, q);
            }
            if let Some(e) = for_dynamic {
                walk_expr(v, e);
            }
            walk_exprs(v, using);
        }
        PlStmt::Fetch {
            cursor,
            into,
            limit,
            ..
        } => {
            v.qname(cursor);
            walk_exprs(v, into);
            if let Some(l) = limit {
                walk_expr(v, l);
            }
        }
        PlStmt::Close { cursor, .. } => v.qname(cursor),
        PlStmt::Rollback { to, .. } => {
            if let Some(t) = to {
                v.ident(t);
            }
        }
        PlStmt::Savepoint { name, .. } => v.ident(name),
        PlStmt::Block(b) => walk_block(v, b),
        PlStmt::DropTable { name, .. } => v.qname(name),
        PlStmt::Truncate { table, .. } => v.qname(table),
        PlStmt::ReturnQuery { query, .. } => walk_query(v, query),
    }
}

pub fn walk_table<V: VisitMut + ?Sized>(v: &mut V, t: &mut Table) {
    v.qname(&mut t.name);
    for c in &mut t.columns {
        walk_column(v, c);
    }
    for c in &mut t.constraints {
        walk_constraint(v, c);
    }
    if let Some(p) = &mut t.partition {
        walk_partition(v, p);
    }
    if let Some(q) = &mut t.as_query {
        walk_query(v, q);
    }
}

fn walk_partition<V: VisitMut + ?Sized>(v: &mut V, p: &mut PartitionSpec) {
    for c in &mut p.columns {
        v.ident(c);
    }
    if let Some(e) = &mut p.interval {
        walk_expr(v, e);
    }
    if let Some(s) = &mut p.subpartition {
        walk_partition(v, s);
    }
    fn parts<V: VisitMut + ?Sized>(v: &mut V, ps: &mut [Partition]) {
        for p in ps {
            if let Some(n) = &mut p.name {
                v.ident(n);
            }
            match &mut p.bound {
                PartitionBound::LessThan(es) | PartitionBound::In(es) => {
                    for e in es {
                        walk_expr(v, e);
                    }
                }
                PartitionBound::Hash => {}
            }
            parts(v, &mut p.subpartitions);
        }
    }
    parts(v, &mut p.partitions);
}

pub fn walk_column<V: VisitMut + ?Sized>(v: &mut V, c: &mut Column) {
    v.ident(&mut c.name);
    v.type_ref(&mut c.ty);
    if let Some(d) = &mut c.default {
        walk_expr(v, d);
    }
    if let Some(g) = &mut c.generated {
        walk_expr(v, &mut g.expr);
    }
    if let Some(n) = &mut c.not_null_name {
        v.ident(n);
    }
}

pub fn walk_constraint<V: VisitMut + ?Sized>(v: &mut V, c: &mut Constraint) {
    if let Some(n) = &mut c.name {
        v.ident(n);
    }
    match &mut c.kind {
        ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } => {
            for i in columns {
                v.ident(i);
            }
        }
        ConstraintKind::Check { expr } => walk_expr(v, expr),
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            ..
        } => {
            for i in columns {
                v.ident(i);
            }
            v.qname(ref_table);
            for i in ref_columns {
                v.ident(i);
            }
        }
    }
}

pub fn walk_query<V: VisitMut + ?Sized>(v: &mut V, q: &mut Query) {
    v.query(q);
    for c in &mut q.with {
        v.ident(&mut c.name);
        for i in &mut c.columns {
            v.ident(i);
        }
        walk_query(v, &mut c.query);
    }
    walk_set(v, &mut q.body);
    for o in &mut q.order_by {
        walk_expr(v, &mut o.expr);
    }
    if let Some(e) = &mut q.limit {
        walk_expr(v, e);
    }
    if let Some(e) = &mut q.offset {
        walk_expr(v, e);
    }
    if let Some(f) = &mut q.for_update {
        for n in &mut f.of {
            v.qname(n);
        }
    }
}

fn walk_set<V: VisitMut + ?Sized>(v: &mut V, s: &mut SetExpr) {
    match s {
        SetExpr::Select(sel) => walk_select(v, sel),
        SetExpr::SetOp { left, right, .. } => {
            walk_set(v, left);
            walk_set(v, right);
        }
        SetExpr::Query(q) => walk_query(v, q),
        SetExpr::Values(rows) => {
            for r in rows {
                for e in r {
                    walk_expr(v, e);
                }
            }
        }
    }
}

fn walk_select<V: VisitMut + ?Sized>(v: &mut V, s: &mut Select) {
    v.enter_select(s);
    for it in &mut s.items {
        match it {
            SelectItem::Wildcard(Some(q)) => v.qname(q),
            SelectItem::Wildcard(None) => {}
            SelectItem::Expr { expr, alias } => {
                walk_expr(v, expr);
                if let Some(a) = alias {
                    v.ident(a);
                }
            }
        }
    }
    for f in &mut s.from {
        walk_table_ref(v, f);
    }
    if let Some(w) = &mut s.where_ {
        walk_expr(v, w);
    }
    for g in &mut s.group_by {
        walk_expr(v, g);
    }
    if let Some(h) = &mut s.having {
        walk_expr(v, h);
    }
    if let Some(cb) = &mut s.connect_by {
        if let Some(e) = &mut cb.start_with {
            walk_expr(v, e);
        }
        walk_expr(v, &mut cb.condition);
    }
    v.select(s);
}

pub fn walk_table_ref<V: VisitMut + ?Sized>(v: &mut V, t: &mut TableRef) {
    match t {
        TableRef::Table { name, alias, .. } => {
            v.qname(name);
            if let Some(a) = alias {
                v.ident(a);
            }
        }
        TableRef::Subquery { query, alias, .. } => {
            walk_query(v, query);
            if let Some(a) = alias {
                v.ident(a);
            }
        }
        TableRef::Join {
            left,
            right,
            on,
            using,
            ..
        } => {
            walk_table_ref(v, left);
            walk_table_ref(v, right);
            if let Some(e) = on {
                walk_expr(v, e);
            }
            for u in using {
                v.ident(u);
            }
        }
        TableRef::Function { call, alias, .. } => {
            walk_expr(v, call);
            if let Some(a) = alias {
                v.ident(a);
            }
        }
    }
}

pub fn walk_expr<V: VisitMut + ?Sized>(v: &mut V, e: &mut Expr) {
    match e {
        Expr::Column(q) => v.qname(q),
        Expr::NextVal(q, _) | Expr::CurrVal(q, _) => v.qname(q),
        Expr::Unary { expr, .. } => walk_expr(v, expr),
        Expr::Binary { left, right, .. } => {
            walk_expr(v, left);
            walk_expr(v, right);
        }
        Expr::Call(c) => {
            for a in &mut c.args {
                walk_expr(v, &mut a.value);
            }
            if let Some(w) = &mut c.over {
                for p in &mut w.partition_by {
                    walk_expr(v, p);
                }
                for o in &mut w.order_by {
                    walk_expr(v, &mut o.expr);
                }
            }
            for o in &mut c.within_group {
                walk_expr(v, &mut o.expr);
            }
        }
        Expr::Case(c) => {
            if let Some(o) = &mut c.operand {
                walk_expr(v, o);
            }
            for (w, t) in &mut c.whens {
                walk_expr(v, w);
                walk_expr(v, t);
            }
            if let Some(x) = &mut c.else_ {
                walk_expr(v, x);
            }
        }
        Expr::Cast { expr, ty, .. } => {
            walk_expr(v, expr);
            v.type_ref(ty);
        }
        Expr::IsNull { expr, .. } => walk_expr(v, expr),
        Expr::IsDistinct { left, right, .. } => {
            walk_expr(v, left);
            walk_expr(v, right);
        }
        Expr::InList { expr, list, .. } => {
            walk_expr(v, expr);
            for x in list {
                walk_expr(v, x);
            }
        }
        Expr::InQuery { expr, query, .. } => {
            walk_expr(v, expr);
            walk_query(v, query);
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            walk_expr(v, expr);
            walk_expr(v, low);
            walk_expr(v, high);
        }
        Expr::Like {
            expr,
            pattern,
            escape,
            ..
        } => {
            walk_expr(v, expr);
            walk_expr(v, pattern);
            if let Some(x) = escape {
                walk_expr(v, x);
            }
        }
        Expr::Exists { query, .. } | Expr::Subquery(query) => walk_query(v, query),
        Expr::Tuple(xs, _) => {
            for x in xs {
                walk_expr(v, x);
            }
        }
        Expr::OuterJoin(x) => walk_expr(v, x),
        Expr::CurrentOf(c) => v.ident(c),
        Expr::Field { base, field, .. } => {
            walk_expr(v, base);
            v.ident(field);
        }
        Expr::Subscript { base, index, .. } => {
            walk_expr(v, base);
            walk_expr(v, index);
        }
        Expr::Array { items, .. } => {
            for x in items {
                walk_expr(v, x);
            }
        }
        _ => {}
    }
    v.expr(e);
}
