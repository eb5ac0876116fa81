//! Converted grants mean on the target what they meant in the source: after applying
//! `fixtures/convert/oracle/synonyms_grants.sql`, the grantee may use what Oracle let it use
//! (and nothing the fixture revokes). PostgreSQL: the statements run as the grantee
//! (`SET ROLE`); MariaDB: the grants the role holds (`SHOW GRANTS`).

mod common;

use mysql::prelude::Queryable;
use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

fn convert(to: Target) -> schemac::Output {
    let path = common::root().join("fixtures/convert/oracle/synonyms_grants.sql");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut map = SourceMap::default();
    map.add_text("synonyms_grants.sql", text);
    schemac::convert(map, &Options::new(SourceDialect::Oracle, to))
}

#[test]
fn grants_hold_on_postgres() {
    let Some(conninfo) = common::pg_conninfo("grants_hold_on_postgres") else {
        return;
    };
    let out = convert(Target::Postgres);
    let mut c = common::fresh_db(&conninfo, "grants_live");
    for s in &out.scripts {
        c.batch_execute(&s.text)
            .unwrap_or_else(|e| panic!("{}: {}", s.name, common::err_text(&e)));
    }
    c.batch_execute("INSERT INTO app_owner.accounts VALUES (1, 'a')")
        .expect("insert");
    c.batch_execute("SET ROLE app_reader").expect("set role");
    // Granted in the source: SELECT and INSERT on the table, the sequence, the package, the
    // function (a schema-qualified object needs USAGE on its schema on PostgreSQL).
    for sql in [
        "SELECT count(*) FROM app_owner.accounts",
        "INSERT INTO app_owner.accounts VALUES (2, 'b')",
        "SELECT nextval('app_owner.accounts_seq')",
        "SELECT accounts_api.next_id()",
        "SELECT app_owner.account_name(1)",
    ] {
        c.batch_execute(sql)
            .unwrap_or_else(|e| panic!("as app_reader: {sql}: {}", common::err_text(&e)));
    }
    // Revoked in the source.
    let e = c
        .batch_execute("UPDATE app_owner.accounts SET name = 'x'")
        .expect_err("UPDATE was revoked");
    assert_eq!(e.as_db_error().map(|d| d.code().code()), Some("42501"));
    c.batch_execute("RESET ROLE").expect("reset role");
    let acl: bool = c
        .query_one(
            "SELECT has_schema_privilege('app_reader', 'accounts_api', 'USAGE')",
            &[],
        )
        .expect("schema privilege")
        .get(0);
    assert!(acl, "USAGE on the package's schema");
}

#[test]
fn grants_hold_on_mysql() {
    let Some(info) = common::my::my_info("grants_hold_on_mysql") else {
        return;
    };
    let out = convert(Target::Mysql);
    let _guard = common::my::lock();
    let mut conn = common::my::connect(&info);
    common::my::reset(&mut conn);
    for s in &out.scripts {
        common::my::run_script(&mut conn, &s.text).unwrap_or_else(|e| panic!("{}: {e}", s.name));
    }
    let grants: Vec<String> = conn.query("SHOW GRANTS FOR app_reader").expect("grants");
    common::my::reset(&mut conn);
    let all = grants.join("\n");
    for want in [
        "GRANT SELECT, INSERT ON `app_owner`.`accounts` TO `app_reader`",
        // The sequence is a table read through a function running with its definer's rights.
        "GRANT EXECUTE ON FUNCTION `app_owner`.`accounts_seq_nextval` TO `app_reader` WITH GRANT OPTION",
        "GRANT EXECUTE ON PROCEDURE `app_owner`.`rename_account` TO `app_reader`",
        "GRANT EXECUTE ON FUNCTION `app_owner`.`account_name` TO `app_reader`",
        // The package's public subprograms, not its private one.
        "GRANT EXECUTE ON PROCEDURE `schemac_test`.`accounts_api__open_account` TO `app_reader`",
        "GRANT EXECUTE ON FUNCTION `schemac_test`.`accounts_api__next_id` TO `app_reader`",
    ] {
        assert!(all.contains(want), "missing {want} in:\n{all}");
    }
    assert!(
        !all.contains("log_it"),
        "a private subprogram was granted:\n{all}"
    );
    assert!(!all.contains("UPDATE"), "UPDATE was revoked:\n{all}");
}
