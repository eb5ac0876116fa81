use super::print_stmt;
use crate::ir::*;
use crate::source::Span;

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

fn sp() -> Span {
    Span::default()
}
fn id(s: &str) -> Ident {
    Ident::new(s, sp())
}
fn qid(s: &str) -> Ident {
    Ident {
        value: s.to_string(),
        quoted: true,
        span: sp(),
    }
}
/// `a.b.c`; a part written `"x"` is quoted.
fn qn(s: &str) -> QName {
    QName {
        parts: s
            .split('.')
            .map(
                |p| match p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
                    Some(inner) => qid(inner),
                    None => id(p),
                },
            )
            .collect(),
        dblink: None,
    }
}
fn col(s: &str) -> Expr {
    Expr::Column(qn(s))
}
fn num(s: &str) -> Expr {
    Expr::Number(s.to_string(), sp())
}
fn st(s: &str) -> Expr {
    Expr::String(s.to_string(), sp())
}
fn bin(op: BinOp, l: Expr, r: Expr) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(l),
        right: Box::new(r),
        span: sp(),
    }
}
fn un(op: UnaryOp, e: Expr) -> Expr {
    Expr::Unary {
        op,
        expr: Box::new(e),
        span: sp(),
    }
}
fn fcall(name: &str, args: Vec<Expr>) -> Call {
    Call {
        name: qn(name),
        args: args
            .into_iter()
            .map(|value| Arg { name: None, value })
            .collect(),
        distinct: false,
        over: None,
        within_group: Vec::new(),
        span: sp(),
    }
}
fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Call(Box::new(fcall(name, args)))
}
fn tref(name: &str, alias: Option<&str>) -> TableRef {
    TableRef::Table {
        name: qn(name),
        alias: alias.map(id),
        span: sp(),
    }
}
fn item(e: Expr) -> SelectItem {
    SelectItem::Expr {
        expr: e,
        alias: None,
    }
}
fn select(items: Vec<SelectItem>, from: Vec<TableRef>, where_: Option<Expr>) -> Select {
    Select {
        distinct: false,
        items,
        from,
        where_,
        group_by: Vec::new(),
        having: None,
        connect_by: None,
        span: sp(),
    }
}
fn query(s: Select) -> Query {
    query_of(SetExpr::Select(Box::new(s)))
}
fn query_of(body: SetExpr) -> Query {
    Query {
        with: Vec::new(),
        recursive: false,
        body,
        order_by: Vec::new(),
        limit: None,
        offset: None,
        for_update: None,
        span: sp(),
    }
}
/// `SELECT <cols> FROM <table>`.
fn simple_query(cols: &[&str], table: &str) -> Query {
    query(select(
        cols.iter().map(|c| item(col(c))).collect(),
        vec![tref(table, None)],
        None,
    ))
}
fn ty(target: &str) -> TypeRef {
    TypeRef {
        source: SourceType {
            name: "SRC".into(),
            args: Vec::new(),
            modifier: None,
            span: sp(),
        },
        ir: None,
        target: Some(target.to_string()),
    }
}
fn column(name: &str, t: &str) -> Column {
    Column {
        name: id(name),
        ty: ty(t),
        default: None,
        not_null: None,
        not_null_name: None,
        identity: None,
        generated: None,
        span: sp(),
        comment: None,
    }
}
fn cons(name: Option<&str>, kind: ConstraintKind) -> Constraint {
    Constraint {
        name: name.map(id),
        kind,
        deferrable: None,
        enabled: true,
        validate: true,
        span: sp(),
    }
}
fn table(name: &str, columns: Vec<Column>) -> Table {
    Table {
        name: qn(name),
        columns,
        constraints: Vec::new(),
        temporary: None,
        partition: None,
        as_query: None,
        if_not_exists: false,
    }
}
fn part(name: Option<&str>, bound: PartitionBound, subs: Vec<Partition>) -> Partition {
    Partition {
        name: name.map(id),
        bound,
        subpartitions: subs,
        span: sp(),
    }
}
fn spec(method: PartitionMethod, cols: &[&str], parts: Vec<Partition>) -> PartitionSpec {
    PartitionSpec {
        method,
        columns: cols.iter().map(|c| id(c)).collect(),
        interval: None,
        subpartition: None,
        count: None,
        partitions: parts,
        span: sp(),
    }
}

/// The expression as printed, through a `SELECT e` statement.
fn e(x: Expr) -> String {
    let out = one(&Stmt::Query(Box::new(query(select(
        vec![item(x)],
        Vec::new(),
        None,
    )))));
    out.strip_prefix("SELECT ").unwrap().to_string()
}
fn one(stmt: &Stmt) -> String {
    let v = print_stmt(stmt);
    assert_eq!(v.len(), 1, "{v:#?}");
    v.into_iter().next().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

#[test]
fn arithmetic_precedence() {
    use BinOp::*;
    let (a, b, c) = (col("a"), col("b"), col("c"));
    assert_eq!(
        e(bin(Sub, a.clone(), bin(Sub, b.clone(), c.clone()))),
        "a - (b - c)"
    );
    assert_eq!(
        e(bin(Sub, bin(Sub, a.clone(), b.clone()), c.clone())),
        "a - b - c"
    );
    assert_eq!(
        e(bin(Mul, bin(Add, a.clone(), b.clone()), c.clone())),
        "(a + b) * c"
    );
    assert_eq!(
        e(bin(Add, a.clone(), bin(Mul, b.clone(), c.clone()))),
        "a + b * c"
    );
    assert_eq!(
        e(bin(Mul, a.clone(), bin(Div, b.clone(), c.clone()))),
        "a * (b / c)"
    );
    assert_eq!(
        e(bin(Div, a.clone(), bin(Mul, b.clone(), c.clone()))),
        "a / (b * c)"
    );
    assert_eq!(
        e(bin(Add, a.clone(), bin(Add, b.clone(), c.clone()))),
        "a + (b + c)"
    );
    // `||` binds less tightly than `+` in PostgreSQL.
    assert_eq!(
        e(bin(Add, bin(Concat, a.clone(), b.clone()), c.clone())),
        "(a || b) + c"
    );
    assert_eq!(
        e(bin(Concat, a.clone(), bin(Add, b.clone(), c.clone()))),
        "a || b + c"
    );
    assert_eq!(
        e(bin(Eq, bin(Concat, a.clone(), b.clone()), c.clone())),
        "a || b = c"
    );
}

#[test]
fn boolean_precedence() {
    use BinOp::*;
    let eq = |x: &str, y: &str| bin(Eq, col(x), col(y));
    assert_eq!(
        e(bin(And, bin(Or, col("a"), col("b")), col("c"))),
        "(a OR b) AND c"
    );
    assert_eq!(
        e(bin(Or, bin(And, col("a"), col("b")), col("c"))),
        "a AND b OR c"
    );
    assert_eq!(
        e(bin(Or, col("a"), bin(Or, col("b"), col("c")))),
        "a OR b OR c"
    );
    assert_eq!(
        e(bin(And, col("a"), bin(Or, col("b"), col("c")))),
        "a AND (b OR c)"
    );
    assert_eq!(e(un(UnaryOp::Not, eq("a", "b"))), "NOT (a = b)");
    assert_eq!(e(un(UnaryOp::Not, col("flag"))), "NOT flag");
    assert_eq!(
        e(bin(And, un(UnaryOp::Not, col("x")), col("y"))),
        "NOT x AND y"
    );
    assert_eq!(
        e(bin(Eq, un(UnaryOp::Not, col("x")), col("y"))),
        "(NOT x) = y"
    );
    // Comparisons do not associate.
    assert_eq!(e(bin(Eq, eq("a", "b"), col("c"))), "(a = b) = c");
    assert_eq!(e(bin(Eq, col("c"), eq("a", "b"))), "c = (a = b)");
    assert_eq!(
        e(Expr::IsNull {
            expr: Box::new(eq("a", "b")),
            not: true,
            span: sp()
        }),
        "(a = b) IS NOT NULL"
    );
    assert_eq!(
        e(Expr::IsNull {
            expr: Box::new(bin(Concat, col("a"), col("b"))),
            not: false,
            span: sp()
        }),
        "a || b IS NULL"
    );
}

#[test]
fn unary_minus() {
    assert_eq!(e(un(UnaryOp::Neg, num("-1"))), "-(-1)");
    assert_eq!(e(un(UnaryOp::Neg, un(UnaryOp::Neg, num("1")))), "-(-1)");
    assert_eq!(e(un(UnaryOp::Neg, num("1"))), "-1");
    assert_eq!(
        e(un(UnaryOp::Neg, bin(BinOp::Add, col("a"), col("b")))),
        "-(a + b)"
    );
    assert_eq!(
        e(bin(BinOp::Sub, col("a"), un(UnaryOp::Neg, col("b")))),
        "a - -b"
    );
    assert_eq!(e(bin(BinOp::Sub, col("a"), num("-1"))), "a - -1");
    assert_eq!(e(un(UnaryOp::Prior, col("id"))), "id");
}

#[test]
fn literals_and_names() {
    assert_eq!(e(st("O'Brien")), "'O''Brien'");
    assert_eq!(e(st(r"C:\dir")), r"'C:\dir'");
    assert_eq!(
        e(Expr::NString("ü".into(), sp())),
        "'ü'",
        "national strings are plain strings"
    );
    assert_eq!(e(st("a\r\nb\\")), "E'a\\r\nb\\\\'");
    assert_eq!(e(Expr::Null(sp())), "NULL");
    assert_eq!(e(Expr::Bool(true, sp())), "TRUE");
    assert_eq!(e(num("1.5e3")), "1.5e3");
    assert_eq!(
        e(Expr::Column(QName {
            parts: vec![id("hr"), qid("My\"Col")],
            dblink: None,
        })),
        r#"hr."My""Col""#
    );
    assert_eq!(e(Expr::Param(":x".into(), sp())), ":x");
    assert_eq!(
        e(Expr::Column(QName {
            parts: vec![id("t"), id("a")],
            dblink: Some(id("remote")),
        })),
        "t.a"
    );
}

#[test]
fn sequences_in_expressions() {
    assert_eq!(
        e(Expr::NextVal(qn(r#"hr."MySeq""#), sp())),
        r#"nextval('hr."MySeq"')"#
    );
    assert_eq!(
        e(Expr::NextVal(qn(r#""it's""#), sp())),
        r#"nextval('"it''s"')"#
    );
    assert_eq!(e(Expr::CurrVal(qn("s"), sp())), "currval('s')");
}

#[test]
fn calls() {
    let mut c = fcall("count", vec![col("a")]);
    c.distinct = true;
    assert_eq!(e(Expr::Call(Box::new(c))), "count(DISTINCT a)");
    assert_eq!(e(call("count", vec![Expr::Star(sp())])), "count(*)");
    assert_eq!(e(call("now", vec![])), "now()");
    let mut named = fcall("f", vec![num("1")]);
    named.args.push(Arg {
        name: Some(id("p_b")),
        value: st("x"),
    });
    assert_eq!(e(Expr::Call(Box::new(named))), "f(1, p_b => 'x')");
    assert_eq!(
        e(call("EXTRACT", vec![col("year"), col("hired")])),
        "EXTRACT(YEAR FROM hired)"
    );
    assert_eq!(e(call("\"MyFunc\"", vec![])), "\"MyFunc\"()");
    let mut w = fcall("row_number", vec![]);
    w.over = Some(Window {
        partition_by: vec![col("d")],
        order_by: vec![OrderItem {
            expr: col("s"),
            desc: true,
            nulls_first: Some(false),
        }],
        frame: Some("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".into()),
    });
    assert_eq!(
        e(Expr::Call(Box::new(w))),
        "row_number() OVER (PARTITION BY d ORDER BY s DESC NULLS LAST \
         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    );
    let mut empty = fcall("rank", vec![]);
    empty.over = Some(Window::default());
    assert_eq!(e(Expr::Call(Box::new(empty))), "rank() OVER ()");
    let mut agg = fcall("string_agg", vec![col("n"), st(",")]);
    agg.within_group = vec![OrderItem {
        expr: col("n"),
        desc: false,
        nulls_first: None,
    }];
    assert_eq!(
        e(Expr::Call(Box::new(agg))),
        "string_agg(n, ',') WITHIN GROUP (ORDER BY n)"
    );
}

#[test]
fn predicates() {
    let x = || Box::new(col("x"));
    assert_eq!(
        e(Expr::InList {
            expr: x(),
            list: vec![num("1"), num("2")],
            not: true,
            span: sp()
        }),
        "x NOT IN (1, 2)"
    );
    assert_eq!(
        e(Expr::InQuery {
            expr: Box::new(Expr::Tuple(vec![col("a"), col("b")], sp())),
            query: Box::new(simple_query(&["a", "b"], "t")),
            not: false,
            span: sp()
        }),
        "(a, b) IN (SELECT a, b FROM t)"
    );
    assert_eq!(
        e(Expr::Between {
            expr: x(),
            low: Box::new(bin(BinOp::Sub, col("a"), num("1"))),
            high: Box::new(num("10")),
            not: false,
            span: sp()
        }),
        "x BETWEEN a - 1 AND 10"
    );
    assert_eq!(
        e(Expr::Like {
            expr: x(),
            pattern: Box::new(st("a!%%")),
            escape: Some(Box::new(st("!"))),
            not: true,
            span: sp()
        }),
        "x NOT LIKE 'a!%%' ESCAPE '!'"
    );
    assert_eq!(
        e(Expr::Exists {
            query: Box::new(simple_query(&["1"], "t")),
            not: true,
            span: sp()
        }),
        "NOT EXISTS (SELECT 1 FROM t)"
    );
    assert_eq!(
        e(Expr::IsDistinct {
            left: x(),
            right: Box::new(Expr::Null(sp())),
            not: true,
            span: sp()
        }),
        "x IS NOT DISTINCT FROM NULL"
    );
    assert_eq!(
        e(bin(
            BinOp::Eq,
            Expr::Subquery(Box::new(simple_query(&["max(a)"], "t"))),
            num("1")
        )),
        "(SELECT max(a) FROM t) = 1"
    );
    assert_eq!(
        e(bin(
            BinOp::And,
            Expr::Between {
                expr: x(),
                low: Box::new(num("1")),
                high: Box::new(num("2")),
                not: false,
                span: sp()
            },
            col("y")
        )),
        "x BETWEEN 1 AND 2 AND y"
    );
    assert_eq!(
        e(Expr::OuterJoin(Box::new(col("t.a")))),
        "t.a",
        "a leftover (+) prints its operand"
    );
}

#[test]
fn case_cast_literals() {
    let c = Expr::Case(Box::new(Case {
        operand: Some(col("k")),
        whens: vec![(num("1"), st("one")), (num("2"), st("two"))],
        else_: Some(Expr::Null(sp())),
        span: sp(),
    }));
    assert_eq!(
        e(c),
        "CASE k WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE NULL END"
    );
    let searched = Expr::Case(Box::new(Case {
        operand: None,
        whens: vec![(bin(BinOp::Gt, col("a"), num("0")), st("pos"))],
        else_: None,
        span: sp(),
    }));
    assert_eq!(e(searched), "CASE WHEN a > 0 THEN 'pos' END");
    assert_eq!(
        e(Expr::Cast {
            expr: Box::new(col("a")),
            ty: Box::new(ty("numeric(10,2)")),
            span: sp()
        }),
        "CAST(a AS numeric(10,2))"
    );
    let mut fallback = ty("x");
    fallback.target = None;
    fallback.source.name = "NUMBER".into();
    fallback.source.args = vec![None, Some(0)];
    assert_eq!(
        e(Expr::Cast {
            expr: Box::new(col("a")),
            ty: Box::new(fallback),
            span: sp()
        }),
        "CAST(a AS number(*,0))"
    );
    assert_eq!(
        e(Expr::Interval {
            value: "1".into(),
            unit: "DAY".into(),
            span: sp()
        }),
        "INTERVAL '1' DAY"
    );
    assert_eq!(
        e(Expr::TypedString {
            ty: "DATE".into(),
            value: "2020-01-01".into(),
            span: sp()
        }),
        "DATE '2020-01-01'"
    );
    assert_eq!(
        e(Expr::Raw("current_timestamp".into(), sp())),
        "current_timestamp"
    );
}

// ---------------------------------------------------------------------------------------------
// Queries and DML
// ---------------------------------------------------------------------------------------------

#[test]
fn query_with_joins_and_clauses() {
    let join = TableRef::Join {
        left: Box::new(TableRef::Join {
            left: Box::new(tref("hr.employees", Some("e"))),
            right: Box::new(tref("hr.departments", Some("d"))),
            kind: JoinKind::Inner,
            on: Some(bin(BinOp::Eq, col("e.dept_id"), col("d.id"))),
            using: Vec::new(),
        }),
        right: Box::new(tref("hr.locations", Some("l"))),
        kind: JoinKind::Left,
        on: None,
        using: vec![id("loc_id")],
    };
    let mut s = select(
        vec![
            SelectItem::Wildcard(Some(qn("e"))),
            SelectItem::Expr {
                expr: call("count", vec![Expr::Star(sp())]),
                alias: Some(id("n")),
            },
        ],
        vec![join, tref("dual_like", None)],
        Some(bin(BinOp::Gt, col("e.sal"), num("10"))),
    );
    s.distinct = true;
    s.group_by = vec![col("e.id")];
    s.having = Some(bin(
        BinOp::Gt,
        call("count", vec![Expr::Star(sp())]),
        num("1"),
    ));
    let mut q = query(s);
    q.order_by = vec![OrderItem {
        expr: col("n"),
        desc: true,
        nulls_first: Some(true),
    }];
    q.limit = Some(num("10"));
    q.offset = Some(num("5"));
    assert_eq!(
        one(&Stmt::Query(Box::new(q))),
        "SELECT DISTINCT e.*, count(*) AS n
FROM hr.employees e
    JOIN hr.departments d ON e.dept_id = d.id
    LEFT JOIN hr.locations l USING (loc_id), dual_like
WHERE e.sal > 10
GROUP BY e.id
HAVING count(*) > 1
ORDER BY n DESC NULLS FIRST
LIMIT 10
OFFSET 5"
    );
}

#[test]
fn join_kinds() {
    let j = |kind, on: Option<Expr>| {
        let q = query(select(
            vec![SelectItem::Wildcard(None)],
            vec![TableRef::Join {
                left: Box::new(tref("a", None)),
                right: Box::new(tref("b", None)),
                kind,
                on,
                using: Vec::new(),
            }],
            None,
        ));
        super::query::query(&q, super::query::Layout::Inline)
    };
    let on = || Some(bin(BinOp::Eq, col("a.x"), col("b.x")));
    assert_eq!(j(JoinKind::Cross, None), "SELECT * FROM a CROSS JOIN b");
    assert_eq!(j(JoinKind::Natural, None), "SELECT * FROM a NATURAL JOIN b");
    assert_eq!(
        j(JoinKind::Full, on()),
        "SELECT * FROM a FULL JOIN b ON a.x = b.x"
    );
    assert_eq!(
        j(JoinKind::Right, on()),
        "SELECT * FROM a RIGHT JOIN b ON a.x = b.x"
    );
    assert_eq!(j(JoinKind::Inner, None), "SELECT * FROM a JOIN b ON TRUE");
    // A join nested on the right is parenthesised.
    let nested = query(select(
        vec![SelectItem::Wildcard(None)],
        vec![TableRef::Join {
            left: Box::new(tref("a", None)),
            right: Box::new(TableRef::Join {
                left: Box::new(tref("b", None)),
                right: Box::new(tref("c", None)),
                kind: JoinKind::Inner,
                on: on(),
                using: Vec::new(),
            }),
            kind: JoinKind::Left,
            on: on(),
            using: Vec::new(),
        }],
        None,
    ));
    assert_eq!(
        super::query::query(&nested, super::query::Layout::Inline),
        "SELECT * FROM a LEFT JOIN (b JOIN c ON a.x = b.x) ON a.x = b.x"
    );
}

#[test]
fn derived_tables_lateral_functions_ctes() {
    let sub = TableRef::Subquery {
        query: Box::new(simple_query(&["a"], "t")),
        alias: Some(id("s")),
        lateral: false,
        span: sp(),
    };
    let lat = TableRef::Subquery {
        query: Box::new(simple_query(&["b"], "u")),
        alias: Some(id("l")),
        lateral: true,
        span: sp(),
    };
    let func = TableRef::Function {
        call: call("unnest", vec![col("s.arr")]),
        alias: Some(id("x")),
        span: sp(),
    };
    let mut q = query(select(
        vec![SelectItem::Wildcard(None)],
        vec![sub, lat, func],
        None,
    ));
    q.with = vec![Cte {
        name: id("c"),
        columns: vec![id("n")],
        query: Box::new(simple_query(&["1"], "d")),
    }];
    q.recursive = true;
    assert_eq!(
        one(&Stmt::Query(Box::new(q))),
        "WITH RECURSIVE c (n) AS (
    SELECT 1
    FROM d
)
SELECT *
FROM (
    SELECT a
    FROM t
) s, LATERAL (
    SELECT b
    FROM u
) l, unnest(s.arr) x"
    );
}

#[test]
fn set_operations() {
    let s = |t: &str| {
        SetExpr::Select(Box::new(select(
            vec![item(col("a"))],
            vec![tref(t, None)],
            None,
        )))
    };
    let op = |op, all, l, r| SetExpr::SetOp {
        op,
        all,
        left: Box::new(l),
        right: Box::new(r),
    };
    let inline = |b: SetExpr| super::query::query(&query_of(b), super::query::Layout::Inline);
    assert_eq!(
        inline(op(SetOp::Union, true, s("t"), s("u"))),
        "SELECT a FROM t UNION ALL SELECT a FROM u"
    );
    // INTERSECT binds tighter than UNION.
    assert_eq!(
        inline(op(
            SetOp::Intersect,
            false,
            op(SetOp::Union, false, s("t"), s("u")),
            s("v")
        )),
        "(SELECT a FROM t UNION SELECT a FROM u) INTERSECT SELECT a FROM v"
    );
    assert_eq!(
        inline(op(
            SetOp::Union,
            false,
            s("t"),
            op(SetOp::Intersect, false, s("u"), s("v"))
        )),
        "SELECT a FROM t UNION SELECT a FROM u INTERSECT SELECT a FROM v"
    );
    assert_eq!(
        inline(op(
            SetOp::Except,
            false,
            s("t"),
            op(SetOp::Except, false, s("u"), s("v"))
        )),
        "SELECT a FROM t EXCEPT (SELECT a FROM u EXCEPT SELECT a FROM v)"
    );
    // A parenthesised operand with ORDER BY / LIMIT keeps its parentheses, a bare one loses
    // them.
    let mut limited = query_of(s("u"));
    limited.order_by = vec![OrderItem {
        expr: col("a"),
        desc: false,
        nulls_first: None,
    }];
    limited.limit = Some(num("1"));
    assert_eq!(
        inline(op(
            SetOp::Union,
            false,
            SetExpr::Query(Box::new(query_of(s("t")))),
            SetExpr::Query(Box::new(limited.clone()))
        )),
        "SELECT a FROM t UNION (SELECT a FROM u ORDER BY a LIMIT 1)"
    );
    assert_eq!(
        one(&Stmt::Query(Box::new(query_of(op(
            SetOp::Union,
            false,
            s("t"),
            SetExpr::Query(Box::new(limited))
        ))))),
        "SELECT a
FROM t
UNION
(
    SELECT a
    FROM u
    ORDER BY a
    LIMIT 1
)"
    );
    assert_eq!(
        inline(SetExpr::Values(vec![
            vec![num("1"), st("a")],
            vec![num("2"), st("b")]
        ])),
        "VALUES (1, 'a'), (2, 'b')"
    );
}

#[test]
fn connect_by_is_not_printed() {
    let mut s = select(vec![item(col("id"))], vec![tref("t", None)], None);
    s.connect_by = Some(ConnectBy {
        start_with: None,
        condition: bin(BinOp::Eq, un(UnaryOp::Prior, col("id")), col("pid")),
        nocycle: false,
        span: sp(),
    });
    assert_eq!(one(&Stmt::Query(Box::new(query(s)))), "SELECT id\nFROM t");
}

#[test]
fn insert_update_delete() {
    let ins = |columns: Vec<Ident>, source| {
        one(&Stmt::Insert(Box::new(Insert {
            table: qn("hr.t"),
            alias: None,
            columns,
            source,
        })))
    };
    assert_eq!(
        ins(
            vec![id("a"), id("b")],
            InsertSource::Values(vec![vec![num("1"), st("O'Brien")]])
        ),
        "INSERT INTO hr.t (a, b) VALUES (1, 'O''Brien')"
    );
    assert_eq!(
        ins(
            vec![],
            InsertSource::Values(vec![
                vec![num("1"), Expr::Default(sp())],
                vec![num("2"), Expr::Null(sp())]
            ])
        ),
        "INSERT INTO hr.t VALUES\n    (1, DEFAULT),\n    (2, NULL)"
    );
    assert_eq!(
        ins(vec![], InsertSource::DefaultValues),
        "INSERT INTO hr.t DEFAULT VALUES"
    );
    assert_eq!(
        ins(
            vec![id("a")],
            InsertSource::Query(Box::new(simple_query(&["x"], "s")))
        ),
        "INSERT INTO hr.t (a)\nSELECT x\nFROM s"
    );

    let upd = Update {
        table: qn("t"),
        alias: Some(id("x")),
        set: vec![
            (vec![id("a")], bin(BinOp::Add, col("a"), num("1"))),
            (
                vec![id("b"), id("c")],
                Expr::Subquery(Box::new(simple_query(&["b", "c"], "s"))),
            ),
        ],
        from: Vec::new(),
        where_: Some(bin(BinOp::Eq, col("x.id"), num("3"))),
    };
    assert_eq!(
        one(&Stmt::Update(Box::new(upd.clone()))),
        "UPDATE t x SET a = a + 1, (b, c) = (SELECT b, c FROM s) WHERE x.id = 3"
    );
    let mut upd2 = upd;
    upd2.from = vec![TableRef::Table {
        name: qn("s"),
        alias: None,
        span: sp(),
    }];
    upd2.set.truncate(1);
    assert_eq!(
        one(&Stmt::Update(Box::new(upd2))),
        "UPDATE t x SET a = a + 1 FROM s WHERE x.id = 3"
    );
    let del = Delete {
        table: qn("t"),
        alias: None,
        using: vec![TableRef::Table {
            name: qn("s"),
            alias: None,
            span: sp(),
        }],
        where_: Some(Expr::IsNull {
            expr: Box::new(col("a")),
            not: false,
            span: sp(),
        }),
    };
    assert_eq!(
        one(&Stmt::Delete(Box::new(del))),
        "DELETE FROM t USING s WHERE a IS NULL"
    );
}

// ---------------------------------------------------------------------------------------------
// DDL
// ---------------------------------------------------------------------------------------------

#[test]
fn create_table_full() {
    let mut id_col = column("id", "bigint");
    id_col.identity = Some(Identity {
        always: true,
        start: Some(100),
        increment: Some(10),
        span: sp(),
    });
    let mut name = column("name", "varchar(50)");
    name.not_null = Some(true);
    name.default = Some(st("n/a"));
    let mut total = column("total", "numeric");
    total.generated = Some(Generated {
        expr: bin(BinOp::Mul, col("qty"), col("price")),
        stored: false,
    });
    let mut qty = column("qty", "integer");
    qty.identity = Some(Identity {
        always: false,
        ..Identity::default()
    });
    let mut nullable = column("\"Mixed\"", "text");
    nullable.name = qid("Mixed");
    nullable.not_null = Some(false);
    let mut t = table("hr.orders", vec![id_col, name, total, qty, nullable]);
    t.constraints = vec![
        cons(
            Some("orders_pk"),
            ConstraintKind::PrimaryKey {
                columns: vec![id("id")],
            },
        ),
        cons(
            None,
            ConstraintKind::Unique {
                columns: vec![id("name"), qid("Mixed")],
            },
        ),
        Constraint {
            validate: false,
            enabled: false,
            ..cons(
                Some("qty_ck"),
                ConstraintKind::Check {
                    expr: bin(BinOp::Gt, col("qty"), num("0")),
                },
            )
        },
        Constraint {
            deferrable: Some(Deferrable {
                deferrable: true,
                initially_deferred: true,
            }),
            ..cons(
                Some("fk_cust"),
                ConstraintKind::ForeignKey {
                    columns: vec![id("cust_id")],
                    ref_table: qn("hr.customers"),
                    ref_columns: vec![id("id")],
                    on_delete: Some(RefAction::Cascade),
                    on_update: Some(RefAction::NoAction),
                },
            )
        },
    ];
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t))),
        vec![
            "CREATE TABLE hr.orders (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10),
    name varchar(50) DEFAULT 'n/a' NOT NULL,
    total numeric GENERATED ALWAYS AS (qty * price) STORED,
    qty integer GENERATED BY DEFAULT AS IDENTITY,
    \"Mixed\" text,
    CONSTRAINT orders_pk PRIMARY KEY (id),
    UNIQUE (name, \"Mixed\"),
    CONSTRAINT qty_ck CHECK (qty > 0),
    CONSTRAINT fk_cust FOREIGN KEY (cust_id) REFERENCES hr.customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
)"
        ]
    );
}

#[test]
fn temporary_and_empty_tables() {
    let mut t = table("gtt", vec![column("a", "integer")]);
    t.temporary = Some(TempKind::GlobalDeleteRows);
    assert_eq!(
        one(&Stmt::CreateTable(Box::new(t.clone()))),
        "CREATE TEMPORARY TABLE gtt (\n    a integer\n)\nON COMMIT DELETE ROWS"
    );
    t.temporary = Some(TempKind::GlobalPreserveRows);
    assert!(one(&Stmt::CreateTable(Box::new(t.clone()))).ends_with("\nON COMMIT PRESERVE ROWS"));
    t.temporary = Some(TempKind::Local);
    t.if_not_exists = true;
    assert_eq!(
        one(&Stmt::CreateTable(Box::new(t))),
        "CREATE TEMPORARY TABLE IF NOT EXISTS gtt (\n    a integer\n)"
    );
    assert_eq!(
        one(&Stmt::CreateTable(Box::new(table("e", vec![])))),
        "CREATE TABLE e (\n)"
    );
}

#[test]
fn create_table_as() {
    let mut t = table("s.copy", vec![]);
    t.as_query = Some(Box::new(simple_query(&["a", "b"], "src")));
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t.clone()))),
        vec!["CREATE TABLE s.copy AS\nSELECT a, b\nFROM src"]
    );
    let mut a = column("x", "integer");
    a.not_null = Some(true);
    t.columns = vec![a, column("y", "text")];
    t.constraints = vec![cons(
        Some("copy_pk"),
        ConstraintKind::PrimaryKey {
            columns: vec![id("x")],
        },
    )];
    t.temporary = Some(TempKind::GlobalPreserveRows);
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t))),
        vec![
            "CREATE TEMPORARY TABLE s.copy (x, y) ON COMMIT PRESERVE ROWS AS\nSELECT a, b\nFROM src",
            "ALTER TABLE s.copy\n    ALTER COLUMN x SET NOT NULL,\n    ADD CONSTRAINT copy_pk PRIMARY KEY (x)",
        ]
    );
}

#[test]
fn range_partitions_with_maxvalue() {
    let date = |d: &str| Expr::TypedString {
        ty: "DATE".into(),
        value: d.into(),
        span: sp(),
    };
    let mut t = table("sales.orders", vec![column("d", "date")]);
    t.partition = Some(spec(
        PartitionMethod::Range,
        &["d"],
        vec![
            part(
                Some("p2020"),
                PartitionBound::LessThan(vec![date("2021-01-01")]),
                vec![],
            ),
            part(
                None,
                PartitionBound::LessThan(vec![date("2022-01-01")]),
                vec![],
            ),
            part(
                Some("pmax"),
                PartitionBound::LessThan(vec![Expr::MaxValue(sp())]),
                vec![],
            ),
        ],
    ));
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t))),
        vec![
            "CREATE TABLE sales.orders (\n    d date\n)\nPARTITION BY RANGE (d)",
            "CREATE TABLE sales.p2020 PARTITION OF sales.orders FOR VALUES FROM (MINVALUE) TO (DATE '2021-01-01')",
            "CREATE TABLE sales.orders_p1 PARTITION OF sales.orders FOR VALUES FROM (DATE '2021-01-01') TO (DATE '2022-01-01')",
            "CREATE TABLE sales.pmax PARTITION OF sales.orders FOR VALUES FROM (DATE '2022-01-01') TO (MAXVALUE)",
        ]
    );
}

#[test]
fn multi_column_range() {
    let mut t = table("t", vec![column("a", "integer"), column("b", "integer")]);
    t.partition = Some(spec(
        PartitionMethod::Range,
        &["a", "b"],
        vec![
            part(
                Some("p1"),
                PartitionBound::LessThan(vec![num("10"), num("5")]),
                vec![],
            ),
            part(
                Some("p2"),
                PartitionBound::LessThan(vec![Expr::MaxValue(sp()), Expr::MaxValue(sp())]),
                vec![],
            ),
        ],
    ));
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t)))[1..],
        [
            "CREATE TABLE p1 PARTITION OF t FOR VALUES FROM (MINVALUE, MINVALUE) TO (10, 5)",
            "CREATE TABLE p2 PARTITION OF t FOR VALUES FROM (10, 5) TO (MAXVALUE, MAXVALUE)",
        ]
    );
}

#[test]
fn list_partitions_with_default() {
    let mut t = table("\"Geo\"", vec![column("region", "text")]);
    t.name = qn("hr.\"Geo\"");
    t.partition = Some(spec(
        PartitionMethod::List,
        &["region"],
        vec![
            part(
                Some("p_eu"),
                PartitionBound::In(vec![st("FR"), st("DE")]),
                vec![],
            ),
            part(None, PartitionBound::In(vec![Expr::Null(sp())]), vec![]),
            part(
                Some("p_other"),
                PartitionBound::In(vec![Expr::Default(sp())]),
                vec![],
            ),
        ],
    ));
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t))),
        vec![
            "CREATE TABLE hr.\"Geo\" (\n    region text\n)\nPARTITION BY LIST (region)",
            "CREATE TABLE hr.p_eu PARTITION OF hr.\"Geo\" FOR VALUES IN ('FR', 'DE')",
            "CREATE TABLE hr.\"Geo_p1\" PARTITION OF hr.\"Geo\" FOR VALUES IN (NULL)",
            "CREATE TABLE hr.p_other PARTITION OF hr.\"Geo\" DEFAULT",
        ]
    );
}

#[test]
fn hash_partitions() {
    let mut t = table("h", vec![column("k", "integer")]);
    t.partition = Some(spec(
        PartitionMethod::Hash,
        &["k"],
        vec![
            part(Some("h0"), PartitionBound::Hash, vec![]),
            part(Some("h1"), PartitionBound::Hash, vec![]),
            part(None, PartitionBound::Hash, vec![]),
        ],
    ));
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t))),
        vec![
            "CREATE TABLE h (\n    k integer\n)\nPARTITION BY HASH (k)",
            "CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 3, REMAINDER 0)",
            "CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (MODULUS 3, REMAINDER 1)",
            "CREATE TABLE h_p2 PARTITION OF h FOR VALUES WITH (MODULUS 3, REMAINDER 2)",
        ]
    );
}

#[test]
fn composite_range_list() {
    let mut t = table("s.sales", vec![column("y", "integer"), column("r", "text")]);
    let mut p = spec(
        PartitionMethod::Range,
        &["y"],
        vec![
            part(
                Some("p2020"),
                PartitionBound::LessThan(vec![num("2021")]),
                vec![
                    part(Some("p2020_eu"), PartitionBound::In(vec![st("EU")]), vec![]),
                    part(None, PartitionBound::In(vec![Expr::Default(sp())]), vec![]),
                ],
            ),
            part(
                Some("pmax"),
                PartitionBound::LessThan(vec![Expr::MaxValue(sp())]),
                vec![],
            ),
        ],
    );
    p.subpartition = Some(Box::new(spec(PartitionMethod::List, &["r"], vec![])));
    t.partition = Some(p);
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t))),
        vec![
            "CREATE TABLE s.sales (\n    y integer,\n    r text\n)\nPARTITION BY RANGE (y)",
            "CREATE TABLE s.p2020 PARTITION OF s.sales FOR VALUES FROM (MINVALUE) TO (2021) PARTITION BY LIST (r)",
            "CREATE TABLE s.p2020_eu PARTITION OF s.p2020 FOR VALUES IN ('EU')",
            "CREATE TABLE s.p2020_p1 PARTITION OF s.p2020 DEFAULT",
            "CREATE TABLE s.pmax PARTITION OF s.sales FOR VALUES FROM (2021) TO (MAXVALUE) PARTITION BY LIST (r)",
        ]
    );
}

#[test]
fn unsupported_partition_methods_print_a_plain_table() {
    let mut t = table("c", vec![column("a", "integer")]);
    t.partition = Some(spec(
        PartitionMethod::Reference,
        &[],
        vec![part(Some("p"), PartitionBound::Hash, vec![])],
    ));
    assert_eq!(
        print_stmt(&Stmt::CreateTable(Box::new(t))),
        vec!["CREATE TABLE c (\n    a integer\n)"]
    );
}

#[test]
fn alter_table_actions() {
    let mut m1 = column("a", "bigint");
    m1.not_null = Some(true);
    m1.default = Some(num("0"));
    let mut m2 = column("b", "x");
    m2.ty.target = None;
    m2.not_null = Some(false);
    let fk = Constraint {
        validate: false,
        ..cons(
            Some("fk"),
            ConstraintKind::ForeignKey {
                columns: vec![id("d")],
                ref_table: qn("p"),
                ref_columns: vec![],
                on_delete: Some(RefAction::SetNull),
                on_update: Some(RefAction::Restrict),
            },
        )
    };
    let pk_novalidate = Constraint {
        validate: false,
        ..cons(
            Some("pk"),
            ConstraintKind::PrimaryKey {
                columns: vec![id("a")],
            },
        )
    };
    let a = AlterTable {
        table: qn("s.t"),
        actions: vec![
            AlterAction::AddColumns(vec![column("c", "text")]),
            AlterAction::ModifyColumns(vec![m1, m2]),
            AlterAction::Other {
                text: "ENABLE ROW MOVEMENT".into(),
                span: sp(),
            },
            AlterAction::RenameColumn {
                from: id("c"),
                to: id("c2"),
            },
            AlterAction::DropColumns(vec![id("e")]),
            AlterAction::AddConstraint(fk),
            AlterAction::AddConstraint(pk_novalidate),
            AlterAction::DropConstraint(id("old")),
            AlterAction::RenameTo(id("t2")),
        ],
    };
    assert_eq!(
        print_stmt(&Stmt::AlterTable(Box::new(a))),
        vec![
            "ALTER TABLE s.t
    ADD COLUMN c text,
    ALTER COLUMN a TYPE bigint,
    ALTER COLUMN a SET DEFAULT 0,
    ALTER COLUMN a SET NOT NULL,
    ALTER COLUMN b DROP NOT NULL",
            "ALTER TABLE s.t RENAME COLUMN c TO c2",
            "ALTER TABLE s.t
    DROP COLUMN e,
    ADD CONSTRAINT fk FOREIGN KEY (d) REFERENCES p ON DELETE SET NULL ON UPDATE RESTRICT NOT VALID,
    ADD CONSTRAINT pk PRIMARY KEY (a),
    DROP CONSTRAINT old",
            "ALTER TABLE s.t RENAME TO t2",
        ]
    );
    let only_other = AlterTable {
        table: qn("t"),
        actions: vec![AlterAction::Other {
            text: "LOGGING".into(),
            span: sp(),
        }],
    };
    assert!(print_stmt(&Stmt::AlterTable(Box::new(only_other))).is_empty());
    let check = AlterTable {
        table: qn("t"),
        actions: vec![AlterAction::AddConstraint(Constraint {
            validate: false,
            ..cons(
                Some("ck"),
                ConstraintKind::Check {
                    expr: bin(BinOp::NotEq, col("a"), num("1")),
                },
            )
        })],
    };
    assert_eq!(
        one(&Stmt::AlterTable(Box::new(check))),
        "ALTER TABLE t ADD CONSTRAINT ck CHECK (a <> 1) NOT VALID"
    );
}

#[test]
fn create_index() {
    let i = Index {
        name: qn("hr.emp_ix"),
        table: qn("hr.emp"),
        unique: true,
        bitmap: true,
        reverse: true,
        columns: vec![
            IndexColumn {
                expr: col("a"),
                desc: false,
                prefix: None,
            },
            IndexColumn {
                expr: call("lower", vec![col("b")]),
                desc: true,
                prefix: None,
            },
            IndexColumn {
                expr: bin(BinOp::Add, col("c"), num("1")),
                desc: false,
                prefix: None,
            },
        ],
        local: true,
        where_: Some(Expr::IsNull {
            expr: Box::new(col("d")),
            not: true,
            span: sp(),
        }),
        include: vec![id("e")],
    };
    assert_eq!(
        one(&Stmt::CreateIndex(Box::new(i))),
        "CREATE UNIQUE INDEX emp_ix ON hr.emp (a, (lower(b)) DESC, (c + 1)) INCLUDE (e) WHERE d IS NOT NULL"
    );
}

#[test]
fn create_sequence() {
    let s = Sequence {
        name: Some(qn("hr.\"Seq\"")),
        start: Some(1),
        increment: Some(-1),
        min: Some(-100),
        max: Some(10),
        cycle: true,
        cache: Some(20),
        dropped_options: vec!["ORDER".into()],
    };
    assert_eq!(
        one(&Stmt::CreateSequence(Box::new(s))),
        "CREATE SEQUENCE hr.\"Seq\" INCREMENT BY -1 MINVALUE -100 MAXVALUE 10 START WITH 1 CACHE 20 CYCLE"
    );
    let bare = Sequence {
        name: Some(qn("s")),
        ..Sequence::default()
    };
    assert_eq!(
        one(&Stmt::CreateSequence(Box::new(bare))),
        "CREATE SEQUENCE s"
    );
}

#[test]
fn views_and_synonyms() {
    let v = View {
        name: qn("hr.v"),
        or_replace: true,
        force: true,
        columns: vec![id("x")],
        query: Box::new(simple_query(&["a"], "t")),
        read_only: true,
        check_option: true,
        materialized: false,
    };
    assert_eq!(
        one(&Stmt::CreateView(Box::new(v.clone()))),
        "CREATE OR REPLACE VIEW hr.v (x) AS\nSELECT a\nFROM t\nWITH CHECK OPTION"
    );
    let mv = View {
        materialized: true,
        columns: vec![],
        check_option: false,
        ..v
    };
    assert_eq!(
        one(&Stmt::CreateView(Box::new(mv))),
        "CREATE MATERIALIZED VIEW hr.v AS\nSELECT a\nFROM t"
    );
    let syn = Synonym {
        name: qn("app.emp"),
        public: false,
        target: qn("hr.employees"),
        target_kind: Some(ObjectKind::Table),
    };
    assert_eq!(
        one(&Stmt::CreateSynonym(Box::new(syn))),
        "CREATE OR REPLACE VIEW app.emp AS\nSELECT * FROM hr.employees"
    );
}

#[test]
fn schemas_roles_users() {
    assert_eq!(
        one(&Stmt::CreateSchema(id("hr"))),
        "CREATE SCHEMA IF NOT EXISTS hr"
    );
    assert_eq!(
        one(&Stmt::CreateRole(id("app_read"))),
        "DO $$\nBEGIN\n    CREATE ROLE app_read;\nEXCEPTION WHEN duplicate_object THEN\n    NULL;\nEND\n$$"
    );
    let u = User {
        name: qid("Scott"),
        password_given: true,
        dropped_options: vec![],
    };
    assert_eq!(
        one(&Stmt::CreateUser(Box::new(u))),
        "DO $$\nBEGIN\n    CREATE ROLE \"Scott\" LOGIN;\nEXCEPTION WHEN duplicate_object THEN\n    NULL;\nEND\n$$"
    );
    assert!(one(&Stmt::CreateRole(qid("a$$b"))).starts_with("DO $schemac$\n"));
}

#[test]
fn comments() {
    let c = |on, name: &str, text: Option<&str>| {
        one(&Stmt::Comment(Box::new(Comment {
            on,
            name: qn(name),
            text: text.map(String::from),
        })))
    };
    assert_eq!(
        c(CommentTarget::Table, "hr.emp", Some("O'Brien's \\ table")),
        "COMMENT ON TABLE hr.emp IS 'O''Brien''s \\ table'"
    );
    assert_eq!(
        c(CommentTarget::Column, "hr.emp.\"Name\"", None),
        "COMMENT ON COLUMN hr.emp.\"Name\" IS NULL"
    );
    assert_eq!(
        c(CommentTarget::View, "v", Some("x")),
        "COMMENT ON VIEW v IS 'x'"
    );
    assert_eq!(
        c(CommentTarget::MaterializedView, "mv", Some("")),
        "COMMENT ON MATERIALIZED VIEW mv IS ''"
    );
}

#[test]
fn grants() {
    let gk = |privs: &[&str], on: Option<&str>, to: &[&str], wgo: bool, revoke: bool, kind| {
        one(&Stmt::Grant(Box::new(Grant {
            privileges: privs.iter().map(|p| p.to_string()).collect(),
            on: on.map(qn),
            grantees: to.iter().map(|t| id(t)).collect(),
            with_grant_option: wgo,
            revoke,
            on_kind: kind,
        })))
    };
    let g = |privs: &[&str], on: Option<&str>, to: &[&str], wgo: bool, revoke: bool| {
        gk(privs, on, to, wgo, revoke, GrantOn::Relation)
    };
    assert_eq!(
        g(
            &["SELECT", "INSERT"],
            Some("hr.emp"),
            &["a", "b"],
            true,
            false
        ),
        "GRANT SELECT, INSERT ON hr.emp TO a, b WITH GRANT OPTION"
    );
    assert_eq!(
        g(&["SELECT"], Some("hr.emp"), &["a"], false, true),
        "REVOKE SELECT ON hr.emp FROM a"
    );
    // The object class is the pass's decision (`Grant::on_kind`).
    assert_eq!(
        gk(
            &["EXECUTE"],
            Some("hr.f"),
            &["a"],
            false,
            false,
            GrantOn::Function
        ),
        "GRANT EXECUTE ON FUNCTION hr.f TO a"
    );
    assert_eq!(
        gk(
            &["EXECUTE"],
            Some("hr.p"),
            &["a"],
            false,
            false,
            GrantOn::Procedure
        ),
        "GRANT EXECUTE ON PROCEDURE hr.p TO a"
    );
    assert_eq!(
        gk(
            &["USAGE", "SELECT"],
            Some("hr.s"),
            &["a"],
            false,
            false,
            GrantOn::Sequence
        ),
        "GRANT USAGE, SELECT ON SEQUENCE hr.s TO a"
    );
    assert_eq!(
        gk(
            &["USAGE"],
            Some("pk"),
            &["a"],
            false,
            false,
            GrantOn::Schema
        ),
        "GRANT USAGE ON SCHEMA pk TO a"
    );
    assert_eq!(
        gk(
            &["EXECUTE"],
            Some("pk"),
            &["a"],
            false,
            false,
            GrantOn::AllRoutinesInSchema
        ),
        "GRANT EXECUTE ON ALL ROUTINES IN SCHEMA pk TO a"
    );
    assert_eq!(
        g(&["app_role"], None, &["scott"], false, false),
        "GRANT app_role TO scott"
    );
    assert_eq!(
        g(&["app_role"], None, &["scott"], true, false),
        "GRANT app_role TO scott WITH ADMIN OPTION"
    );
    assert_eq!(
        g(&["app_role"], None, &["scott"], false, true),
        "REVOKE app_role FROM scott"
    );
}

#[test]
fn unconverted_units_are_comments() {
    let r = one(&Stmt::Routine(Box::new(RoutineSrc {
        what: "PROCEDURE".into(),
        text: "BEGIN /* x */ NULL; END;".into(),
    })));
    assert_eq!(r, "/*\nPROCEDURE\nBEGIN / * x * / NULL; END;\n*/");
    for text in ["/*/", "*/*", "a/**/b", "/*/*/", "**//"] {
        let out = one(&Stmt::Opaque { text: text.into() });
        let inner = &out[2..out.len() - 2];
        assert!(
            !inner.contains("/*") && !inner.contains("*/"),
            "{text:?} -> {out:?}"
        );
    }
    assert_eq!(
        one(&Stmt::Ignored {
            what: "SET DEFINE OFF".into()
        }),
        "/*\nignored: SET DEFINE OFF\n*/"
    );
}

#[test]
fn no_panic_on_degenerate_ir() {
    let empty = QName {
        parts: vec![],
        dblink: None,
    };
    let i = Index {
        name: empty.clone(),
        table: empty.clone(),
        unique: false,
        bitmap: false,
        reverse: false,
        columns: vec![],
        local: false,
        where_: None,
        include: vec![],
    };
    print_stmt(&Stmt::CreateIndex(Box::new(i)));
    let mut t = table("x", vec![]);
    t.name = empty.clone();
    t.partition = Some(spec(
        PartitionMethod::Range,
        &[],
        vec![part(None, PartitionBound::LessThan(vec![]), vec![])],
    ));
    print_stmt(&Stmt::CreateTable(Box::new(t)));
    print_stmt(&Stmt::CreateSequence(Box::default()));
    print_stmt(&Stmt::Update(Box::new(Update {
        table: empty,
        alias: None,
        set: vec![(vec![], num("1"))],
        from: Vec::new(),
        where_: None,
    })));
    print_stmt(&Stmt::Query(Box::new(query(select(vec![], vec![], None)))));
}
