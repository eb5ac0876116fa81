//! PL/SQL records, collections and subtypes on PostgreSQL (part of the plsql pass).
//!
//! - `TYPE r IS RECORD (...)` becomes a composite type, `CREATE TYPE` before the routine or
//!   package that declares it (PL/pgSQL cannot declare types): `pkg.r` for a package-level
//!   type (the package's schema), `[pkg.]routine_r` for a type local to a routine. Field
//!   types are mapped like column types; `t%ROWTYPE` fields are the table's row type.
//! - `TYPE t IS TABLE OF e [INDEX BY integer]` and `VARRAY(n) OF e` become arrays `e[]`;
//!   an associative array becomes an array too (PLS040: gaps in a sparse index are NULL
//!   elements there); one indexed by strings is not converted.
//! - `SUBTYPE s IS base` is `base`.
//! - Collection use: `v(i)` -> `v[i]`, `v(i).f` -> `(v[i]).f`, `v.COUNT` ->
//!   `coalesce(cardinality(v), 0)`, `v.FIRST` / `v.LAST` -> `array_lower` / `array_upper`,
//!   `v.EXISTS(i)` -> `v[i] IS DISTINCT FROM NULL`, `v.NEXT(i)` / `v.PRIOR(i)` -> `i + 1` / `i - 1`,
//!   `v.DELETE` -> `v := '{}'`, `v.DELETE(i)` -> `v[i] := NULL`, `v.EXTEND` ->
//!   `array_append(v, NULL)`, constructors `t(a, b)` -> `ARRAY[a, b]`; what is not in this
//!   list is flagged.
//!
//! Invariant: a type declaration that is not converted keeps PLS012 (manual); variables
//! of that type are then flagged by the types pass.

use super::{Conv, Entry};
use crate::ir::plsql::*;
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

/// What a declared PL/SQL type is on PostgreSQL.
#[derive(Clone, Debug)]
pub(super) struct PlType {
    /// A ready type for variables, parameters and results of this type: either a target
    /// spelling, or a source type the types pass maps (`modifier` `[]` for arrays).
    pub decl: TypeRef,
    /// An array (a collection type).
    pub collection: bool,
    /// The element spelling when it is known here (composite and row types).
    pub elem_spelling: Option<String>,
}

fn lower_name(q: &[String]) -> String {
    q.iter()
        .map(|p| p.to_lowercase())
        .collect::<Vec<_>>()
        .join(".")
}

impl Conv<'_> {
    /// The declared PL/SQL type a type reference names, if any.
    pub(super) fn pl_type(&self, t: &TypeRef) -> Option<PlType> {
        let n = &t.source.name;
        if n.contains('%') || !t.source.args.is_empty() {
            return None;
        }
        let key = n.rsplit('.').next().unwrap_or(n);
        // `pkg.t` from another package is not resolved (its declaration is elsewhere).
        if n.contains('.')
            && self.package.as_deref() != n.split('.').next()
            && self.syms.types.is_empty()
        {
            return None;
        }
        match self.lookup(key) {
            Some(Entry::Type(p)) => Some((**p).clone()),
            Some(_) => None,
            None => {
                // A schema-level object or collection type of the input.
                let q = QName {
                    parts: n.split('.').map(|p| Ident::new(p, t.source.span)).collect(),
                    dblink: None,
                };
                let collection = self.syms.user_type(&q)?;
                let mut decl = t.clone();
                decl.target = Some(n.to_lowercase());
                Some(PlType {
                    decl,
                    collection,
                    elem_spelling: None,
                })
            }
        }
    }

    /// Replaces a reference to a declared type by its target form; true when it did.
    pub(super) fn apply_pl_type(&self, t: &mut TypeRef) -> bool {
        match self.pl_type(t) {
            Some(p) => {
                let span = t.source.span;
                *t = p.decl;
                t.source.span = span;
                true
            }
            None => false,
        }
    }

    /// A type reference inside a type declaration: declared types, `%ROWTYPE` of tables.
    /// Returns (the reference, its spelling when known here); `None` when not convertible.
    fn member_type(&mut self, t: &TypeRef) -> Option<(TypeRef, Option<String>)> {
        let mut t = t.clone();
        super::normalize_plsql_type(&mut t);
        if let Some(p) = self.pl_type(&t) {
            if p.collection {
                // A collection of collections: arrays of arrays are not the same thing.
                return None;
            }
            let s = p.decl.target.clone();
            return Some((p.decl, s));
        }
        if let Some(base) = t.source.name.strip_suffix("%ROWTYPE") {
            let q = QName {
                parts: base
                    .split('.')
                    .map(|p| Ident::new(p, t.source.span))
                    .collect(),
                dblink: None,
            };
            self.syms.table(&q)?;
            let s = base.to_lowercase();
            t.target = Some(s.clone());
            return Some((t, Some(s)));
        }
        if let Some(base) = t.source.name.strip_suffix("%TYPE") {
            // A column's type (the types pass resolves it); a variable's type cannot be
            // used outside the routine.
            if base.split('.').count() < 2 {
                return None;
            }
        }
        Some((t, None))
    }

    /// Decides a `TYPE` / `SUBTYPE` declaration on PostgreSQL: declares the name (as a type
    /// when converted) and records the composite types to create.
    pub(super) fn type_decl(&mut self, name: &Ident, def: &Option<TypeDef>, span: Span) {
        let why = match def {
            None => Some("the declaration could not be read"),
            Some(TypeDef::RefCursor) => {
                let mut t = TypeRef::new(SourceType {
                    name: "REFCURSOR".into(),
                    args: Vec::new(),
                    modifier: None,
                    span,
                });
                t.target = Some("refcursor".into());
                self.declare_type(
                    name,
                    PlType {
                        decl: t,
                        collection: false,
                        elem_spelling: None,
                    },
                );
                return;
            }
            Some(TypeDef::Subtype(base)) => match self.member_type(base) {
                Some((t, _)) => {
                    self.declare_type(
                        name,
                        PlType {
                            decl: t,
                            collection: false,
                            elem_spelling: None,
                        },
                    );
                    return;
                }
                None => Some("its base type is not convertible"),
            },
            Some(TypeDef::Record(fields)) => {
                let mut attributes = Vec::new();
                let mut ok = true;
                for (f, t) in fields {
                    match self.member_type(t) {
                        Some((t, _)) => attributes.push((f.clone(), t)),
                        None => ok = false,
                    }
                }
                if ok {
                    let parts = self.type_path(&name.value);
                    let spelling = lower_name(&parts);
                    let tname = QName {
                        parts: parts.iter().map(|p| Ident::new(p.clone(), span)).collect(),
                        dblink: None,
                    };
                    self.new_types.push(CompositeType {
                        name: tname,
                        attributes,
                        collection_of: None,
                    });
                    self.flag(&codes::RECORD_TYPE, span, &[&name.value, &spelling]);
                    let mut t = TypeRef::new(SourceType {
                        name: name.value.clone(),
                        args: Vec::new(),
                        modifier: None,
                        span,
                    });
                    t.target = Some(spelling.clone());
                    self.declare_type(
                        name,
                        PlType {
                            decl: t,
                            collection: false,
                            elem_spelling: Some(spelling),
                        },
                    );
                    return;
                }
                Some("a field's type is not convertible")
            }
            Some(TypeDef::Collection {
                elem,
                index_by,
                limit,
            }) => {
                let string_keys = index_by.as_ref().is_some_and(|k| {
                    let n = k.source.name.as_str();
                    n.contains("CHAR") || n == "STRING" || n.ends_with("%TYPE")
                });
                match self.member_type(elem) {
                    _ if string_keys => Some(
                        "an associative array indexed by strings has no array counterpart \
                         (use jsonb or hstore)",
                    ),
                    Some((mut t, spelling)) => {
                        if index_by.is_some() {
                            self.flag(&codes::ASSOCIATIVE_ARRAY, span, &[&name.value]);
                        } else if let Some(n) = limit {
                            let n = n.to_string();
                            self.flag(&codes::VARRAY_LIMIT, span, &[&name.value, &n]);
                        }
                        match &spelling {
                            Some(s) => t.target = Some(format!("{s}[]")),
                            None => {
                                t.target = None;
                                t.source.modifier = Some(match t.source.modifier.take() {
                                    Some(m) => format!("{m} []"),
                                    None => "[]".into(),
                                });
                            }
                        }
                        self.declare_type(
                            name,
                            PlType {
                                decl: t,
                                collection: true,
                                elem_spelling: spelling,
                            },
                        );
                        return;
                    }
                    None => Some("its element type is not convertible"),
                }
            }
        };
        if let Some(why) = why {
            let n = format!("type {}", name.value);
            self.flag(&codes::UNSUPPORTED_PLSQL, span, &[&n, why]);
            self.declare(&name.clone(), Entry::Var);
        }
    }

    fn declare_type(&mut self, name: &Ident, t: PlType) {
        self.declare(&name.clone(), Entry::Type(Box::new(t)));
    }

    /// Catalog name of the composite type made for record type `name`.
    fn type_path(&self, name: &str) -> Vec<String> {
        match (&self.package, &self.routine_name) {
            (Some(p), Some(r)) => vec![p.clone(), format!("{r}_{name}")],
            (Some(p), None) => vec![p.clone(), name.to_string()],
            (None, Some(r)) => {
                let mut parts: Vec<String> = r.split('.').map(str::to_string).collect();
                let last = parts.pop().unwrap_or_default();
                parts.push(format!("{last}_{name}"));
                parts
            }
            (None, None) => vec![format!("block_{name}")],
        }
    }

    /// The collection variable `name` is, if it is one.
    pub(super) fn collection_var(&self, name: &str) -> bool {
        self.collections.get(name).is_some_and(|c| c.is_some())
    }

    /// Records whether a declared variable is a collection, with the spelling of its
    /// element when known (a later declaration of the name in the same routine wins).
    pub(super) fn note_var(&mut self, name: &Ident, t: Option<&PlType>) {
        let c = t.filter(|t| t.collection).map(|t| t.elem_spelling.clone());
        self.collections.insert(name.value.clone(), c);
    }

    /// `SELECT ... BULK COLLECT INTO v`: the query becomes `SELECT array_agg(..) FROM
    /// (query) q`. False when the shape is not converted (several targets, a target that is
    /// not a collection variable, several columns into scalar elements).
    pub(super) fn bulk_collect(&mut self, query: &mut Query, into: &[Expr], span: Span) -> bool {
        let [Expr::Column(v)] = into else {
            return false;
        };
        if v.parts.len() != 1 {
            return false;
        }
        let Some(Some(elem)) = self.collections.get(&v.parts[0].value).cloned() else {
            return false;
        };
        let q = Ident::new("SCHEMAC_Q", span);
        let arg = match elem {
            // A row: the columns of the query, as the element's composite type.
            Some(e) => {
                let mut ty = TypeRef::new(SourceType {
                    name: e.to_ascii_uppercase(),
                    args: Vec::new(),
                    modifier: None,
                    span,
                });
                ty.target = Some(e);
                Expr::Cast {
                    expr: Box::new(Expr::Raw("ROW(schemac_q.*)".into(), span)),
                    ty: Box::new(ty),
                    span,
                }
            }
            // A scalar: the one column of the query.
            None => {
                let SetExpr::Select(sel) = &mut query.body else {
                    return false;
                };
                let [SelectItem::Expr { alias, .. }] = sel.items.as_mut_slice() else {
                    return false;
                };
                let a = Ident::new("SCHEMAC_V", span);
                *alias = Some(a.clone());
                Expr::Column(QName {
                    parts: vec![q.clone(), a],
                    dblink: None,
                })
            }
        };
        let inner = std::mem::replace(
            query,
            Query {
                with: Vec::new(),
                recursive: false,
                body: SetExpr::Values(Vec::new()),
                order_by: Vec::new(),
                limit: None,
                offset: None,
                for_update: None,
                span,
            },
        );
        query.body = SetExpr::Select(Box::new(Select {
            distinct: false,
            items: vec![SelectItem::Expr {
                expr: call("array_agg", vec![arg], span),
                alias: None,
            }],
            from: vec![TableRef::Subquery {
                query: Box::new(inner),
                alias: Some(q),
                lateral: false,
                span,
            }],
            where_: None,
            group_by: Vec::new(),
            having: None,
            connect_by: None,
            span,
        }));
        true
    }

    /// A call statement on a collection (`v.DELETE`, `v.EXTEND`, `v.TRIM` ...): the
    /// assignment it becomes, or a finding.
    pub(super) fn collection_method_stmt(&mut self, c: &Call, span: Span) -> Option<PlStmt> {
        if c.name.parts.len() != 2 || !self.collection_var(&c.name.parts[0].value) {
            return None;
        }
        let var = Expr::Column(QName::single(c.name.parts[0].clone()));
        let method = c.name.parts[1].value.as_str();
        let assign = |target: Expr, value: Expr| PlStmt::Assign {
            target,
            value,
            span,
        };
        match (method, c.args.as_slice()) {
            ("DELETE", []) => Some(assign(var, Expr::String("{}".into(), span))),
            ("DELETE", [i]) => {
                self.flag(
                    &codes::COLLECTION_SEMANTICS,
                    span,
                    &[
                        "DELETE(i)",
                        "the element becomes NULL: COUNT, FIRST and LAST still count it",
                    ],
                );
                Some(assign(
                    Expr::Subscript {
                        base: Box::new(var),
                        index: Box::new(i.value.clone()),
                        span,
                    },
                    Expr::Null(span),
                ))
            }
            ("EXTEND", []) => Some(assign(
                var.clone(),
                call("array_append", vec![var, Expr::Null(span)], span),
            )),
            _ => {
                let what = format!("{}.{method}", c.name.parts[0].value);
                self.flag(
                    &codes::UNSUPPORTED_PLSQL,
                    span,
                    &[&what, "this collection method is not converted"],
                );
                Some(PlStmt::Null(span))
            }
        }
    }

    /// A collection expression: element, method or constructor. `None`: not one.
    pub(super) fn collection_expr(&mut self, e: &Expr) -> Option<Expr> {
        let span = e.span();
        // A constructor of an object or collection type of the input.
        if let Expr::Call(c) = e
            && let Some(collection) = self.syms.user_type(&c.name)
        {
            let mut ty = TypeRef::new(SourceType {
                name: c.name.display(),
                args: Vec::new(),
                modifier: None,
                span,
            });
            ty.target = Some(c.name.display().to_lowercase());
            let items: Vec<Expr> = c.args.iter().map(|a| a.value.clone()).collect();
            let value = match (collection, items.is_empty()) {
                (true, true) => Expr::String("{}".into(), span),
                (true, false) => Expr::Array {
                    items,
                    ty: None,
                    span,
                },
                (false, _) => call("row", items, span),
            };
            return Some(Expr::Cast {
                expr: Box::new(value),
                ty: Box::new(ty),
                span,
            });
        }
        match e {
            Expr::Call(c) if c.name.parts.len() == 1 => {
                let n = &c.name.parts[0].value;
                if self.collection_var(n) && c.args.len() == 1 {
                    return Some(Expr::Subscript {
                        base: Box::new(Expr::Column(c.name.clone())),
                        index: Box::new(c.args[0].value.clone()),
                        span,
                    });
                }
                // A constructor.
                if let Some(Entry::Type(t)) = self.lookup(n)
                    && t.collection
                {
                    let ty = t.elem_spelling.clone().or_else(|| t.decl.target.clone());
                    return Some(Expr::Array {
                        items: c.args.iter().map(|a| a.value.clone()).collect(),
                        ty: ty.map(|s| s.trim_end_matches("[]").to_string()),
                        span,
                    });
                }
                None
            }
            Expr::Call(c)
                if c.name.parts.len() == 2 && self.collection_var(&c.name.parts[0].value) =>
            {
                let var = Expr::Column(QName::single(c.name.parts[0].clone()));
                let arg = c.args.first().map(|a| a.value.clone());
                let one = Expr::Number("1".into(), span);
                match (c.name.parts[1].value.as_str(), arg) {
                    // IS DISTINCT FROM NULL: true for a row whose fields are NULL.
                    ("EXISTS", Some(i)) => Some(Expr::IsDistinct {
                        left: Box::new(Expr::Subscript {
                            base: Box::new(var),
                            index: Box::new(i),
                            span,
                        }),
                        right: Box::new(Expr::Null(span)),
                        not: false,
                        span,
                    }),
                    ("NEXT", Some(i)) | ("PRIOR", Some(i)) => {
                        self.flag(
                            &codes::COLLECTION_SEMANTICS,
                            span,
                            &[
                                "NEXT / PRIOR",
                                "the next index is i + 1 (i - 1): elements are numbered without gaps",
                            ],
                        );
                        let op = if c.name.parts[1].value == "NEXT" {
                            BinOp::Add
                        } else {
                            BinOp::Sub
                        };
                        Some(Expr::Binary {
                            op,
                            left: Box::new(i),
                            right: Box::new(one),
                            span,
                        })
                    }
                    _ => None,
                }
            }
            Expr::Column(q) if q.parts.len() == 2 && self.collection_var(&q.parts[0].value) => {
                let var = Expr::Column(QName::single(q.parts[0].clone()));
                let one = Expr::Number("1".into(), span);
                match q.parts[1].value.as_str() {
                    "COUNT" => Some(call(
                        "coalesce",
                        vec![
                            call("cardinality", vec![var], span),
                            Expr::Number("0".into(), span),
                        ],
                        span,
                    )),
                    "FIRST" => Some(call("array_lower", vec![var, one], span)),
                    "LAST" => Some(call("array_upper", vec![var, one], span)),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

fn call(name: &str, args: Vec<Expr>, span: Span) -> Expr {
    Call::expr(name, args, span)
}
