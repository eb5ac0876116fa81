//! MySQL: NEXTVAL / CURRVAL of sequences kept as one-row tables (`next_value`,
//! `increment_by`; see `passes::mysql`). Called by the mysql pass once it has decided which
//! sequences become AUTO_INCREMENT columns.
//!
//! Each emulated sequence gets a function `<seq>_nextval()` (attached to the sequence's
//! object, so it is created right after its table):
//!
//! ```sql
//! UPDATE seq SET next_value = LAST_INSERT_ID(next_value) + increment_by;  -- atomic
//! SET v = LAST_INSERT_ID();                        -- the value before the update
//! IF v > MAXVALUE THEN  -- CYCLE: restart at MINVALUE; NOCYCLE: SQLSTATE '2200H'
//! SET @schemac_currval_seq = v;  RETURN v;
//! ```
//!
//! and, when `CURRVAL` is used, `<seq>_currval()` (the session's last value; Oracle's
//! ORA-08002 before the first NEXTVAL is SQLSTATE '55000'). Every `seq.NEXTVAL` /
//! `seq.CURRVAL` outside column defaults (MySQL defaults cannot call stored functions) becomes
//! a call. The functions modify data: TGT006 (binary logging).

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Finding;
use crate::ir::plsql::*;
use crate::ir::visit::VisitMut;
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

struct Emulated {
    name: QName,
    seq: Sequence,
    span: Span,
}

pub fn run(module: &mut Module) {
    let mut seqs: BTreeMap<String, Emulated> = BTreeMap::new();
    for o in &module.objects {
        if o.commented_out {
            continue;
        }
        if let Stmt::CreateSequence(s) = &o.stmt
            && let Some(n) = &s.name
        {
            seqs.insert(
                n.name().value.clone(),
                Emulated {
                    name: n.clone(),
                    seq: (**s).clone(),
                    span: o.span,
                },
            );
        }
    }
    if seqs.is_empty() {
        return;
    }
    let mut rw = Rewrite {
        seqs: &seqs,
        currval: BTreeSet::new(),
    };
    for o in &mut module.objects {
        // Column defaults cannot call stored functions: left to the mysql pass's finding.
        if o.commented_out || matches!(o.stmt, Stmt::CreateTable(_) | Stmt::AlterTable(_)) {
            continue;
        }
        super::walk_object(&mut rw, o);
    }
    let currval = rw.currval;
    for o in &mut module.objects {
        let Stmt::CreateSequence(s) = &o.stmt else {
            continue;
        };
        let Some(key) = s.name.as_ref().map(|n| n.name().value.clone()) else {
            continue;
        };
        let Some(e) = seqs.get(&key) else { continue };
        if o.commented_out {
            continue;
        }
        o.attached
            .push(Stmt::CreateRoutine(Box::new(nextval_fn(e))));
        if currval.contains(&key) {
            o.attached
                .push(Stmt::CreateRoutine(Box::new(currval_fn(e))));
        }
        let f = function_name(&e.name, "NEXTVAL").display();
        o.findings.push(Finding::new(
            &codes::MYSQL_FUNCTION_MODIFIES_DATA,
            e.span,
            &[&f.to_lowercase()],
        ));
    }
    // Using a sequence is calling its functions (they run with their definer's rights).
    for o in &mut module.objects {
        let Stmt::Grant(g) = &mut o.stmt else {
            continue;
        };
        let Some(on) = g.on.clone() else { continue };
        let key = on.name().value.clone();
        if g.on_kind != GrantOn::Sequence || !seqs.contains_key(&key) {
            continue;
        }
        g.privileges = vec!["EXECUTE".into()];
        g.on = Some(function_name(&on, "NEXTVAL"));
        g.on_kind = GrantOn::Function;
        if currval.contains(&key) {
            let mut c = (**g).clone();
            c.on = Some(function_name(&on, "CURRVAL"));
            o.attached.push(Stmt::Grant(Box::new(c)));
        }
    }
}

fn function_name(seq: &QName, what: &str) -> QName {
    let mut q = seq.clone();
    if let Some(last) = q.parts.last_mut() {
        last.value = format!("{}_{what}", last.value);
    }
    q
}

/// The session variable holding a sequence's CURRVAL.
fn currval_var(seq: &QName) -> String {
    let parts: Vec<String> = seq.parts.iter().map(|p| p.value.to_lowercase()).collect();
    format!("@schemac_currval_{}", parts.join("_"))
}

struct Rewrite<'s> {
    seqs: &'s BTreeMap<String, Emulated>,
    currval: BTreeSet<String>,
}

impl VisitMut for Rewrite<'_> {
    fn expr(&mut self, e: &mut Expr) {
        let (q, span, what) = match e {
            Expr::NextVal(q, s) => (q.clone(), *s, "NEXTVAL"),
            Expr::CurrVal(q, s) => (q.clone(), *s, "CURRVAL"),
            _ => return,
        };
        let key = q.name().value.clone();
        if !self.seqs.contains_key(&key) {
            return;
        }
        if what == "CURRVAL" {
            self.currval.insert(key);
        }
        *e = Expr::Call(Box::new(Call {
            name: function_name(&q, what),
            args: Vec::new(),
            distinct: false,
            over: None,
            within_group: Vec::new(),
            span,
        }));
    }
}

fn bigint(span: Span) -> TypeRef {
    let mut t = TypeRef::new(SourceType {
        name: "NUMBER".into(),
        args: vec![Some(19), Some(0)],
        modifier: None,
        span,
    });
    t.target = Some("bigint".into());
    t
}

fn col(name: &str, span: Span) -> Expr {
    Expr::Column(QName::single(Ident::new(name, span)))
}

fn raw(s: &str, span: Span) -> Expr {
    Expr::Raw(s.to_string(), span)
}

fn routine(name: QName, access: &str, body: Block) -> Routine {
    let span = body.span;
    Routine {
        kind: RoutineKind::Function,
        name,
        params: Vec::new(),
        returns: Some(bigint(span)),
        body,
        options: vec!["NOT DETERMINISTIC".into(), access.into()],
    }
}

fn nextval_fn(e: &Emulated) -> Routine {
    let span = e.span;
    let table = e.name.clone();
    let take = |value: &str| PlStmt::Dml {
        stmt: Box::new(Stmt::Update(Box::new(Update {
            from: Vec::new(),
            table: table.clone(),
            alias: None,
            set: vec![(
                vec![Ident::new("NEXT_VALUE", span)],
                raw(&format!("LAST_INSERT_ID({value}) + increment_by"), span),
            )],
            where_: None,
        }))),
        returning: Vec::new(),
        into: Vec::new(),
        span,
    };
    let set_v = PlStmt::Assign {
        target: col("V", span),
        value: raw("LAST_INSERT_ID()", span),
        span,
    };
    let mut body = vec![take("next_value"), set_v.clone()];
    let inc = e.seq.increment.unwrap_or(1);
    let (limit, op, restart, word) = if inc >= 0 {
        (e.seq.max, ">", e.seq.min.unwrap_or(1), "MAXVALUE")
    } else {
        (e.seq.min, "<", e.seq.max.unwrap_or(-1), "MINVALUE")
    };
    if let Some(limit) = limit.filter(|l| *l > i128::from(i64::MIN) && *l < i128::from(i64::MAX)) {
        let then = if e.seq.cycle {
            vec![take(&restart.to_string()), set_v]
        } else {
            vec![PlStmt::RaiseError {
                sqlstate: "2200H".into(),
                message: Expr::String(
                    format!(
                        "sequence {} exceeds {word} and cannot be instantiated",
                        e.name.display()
                    ),
                    span,
                ),
                errno: None,
                span,
            }]
        };
        body.push(PlStmt::If {
            branches: vec![(raw(&format!("v {op} {limit}"), span), then)],
            else_: None,
            span,
        });
    }
    body.push(PlStmt::Assign {
        target: raw(&currval_var(&e.name), span),
        value: col("V", span),
        span,
    });
    body.push(PlStmt::Return {
        value: Some(col("V", span)),
        span,
    });
    routine(
        function_name(&e.name, "NEXTVAL"),
        "MODIFIES SQL DATA",
        Block {
            label: None,
            decls: vec![Decl::Var {
                name: Ident::new("V", span),
                ty: bigint(span),
                constant: false,
                not_null: false,
                default: None,
                span,
            }],
            body,
            handlers: Vec::new(),
            span,
        },
    )
}

fn currval_fn(e: &Emulated) -> Routine {
    let span = e.span;
    let var = currval_var(&e.name);
    let body = vec![
        PlStmt::If {
            branches: vec![(
                raw(&format!("{var} IS NULL"), span),
                vec![PlStmt::RaiseError {
                    sqlstate: "55000".into(),
                    message: Expr::String(
                        format!(
                            "sequence {}.CURRVAL is not yet defined in this session",
                            e.name.display()
                        ),
                        span,
                    ),
                    errno: None,
                    span,
                }],
            )],
            else_: None,
            span,
        },
        PlStmt::Return {
            value: Some(raw(&var, span)),
            span,
        },
    ];
    routine(
        function_name(&e.name, "CURRVAL"),
        "NO SQL",
        Block {
            label: None,
            decls: Vec::new(),
            body,
            handlers: Vec::new(),
            span,
        },
    )
}
