//! Behaviour of converted PL/SQL on the real server: HR-like procedures and triggers (job
//! history kept by a row trigger calling a procedure, an office-hours check raised through
//! RAISE_APPLICATION_ERROR from a statement trigger), OUT parameters, user exceptions and
//! SQL%ROWCOUNT. Each test converts Oracle source, applies every script to a fresh database,
//! runs statements and checks what Oracle would give (rows, SQLSTATE and message of errors).
//! When `../shared/corpus` holds HR, its own routines are run too.

mod common;

use postgres::Client;
use schemac::diag::Severity;
use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

/// Converts Oracle source, checks that no object needs a person, applies every script.
fn setup(test: &str, files: &[(&str, String)]) -> Option<Client> {
    let conninfo = common::pg_conninfo(test)?;
    let mut map = SourceMap::default();
    for (name, text) in files {
        map.add_text(*name, text.clone());
    }
    let out = schemac::convert(map, &Options::new(SourceDialect::Oracle, Target::Postgres));
    for o in &out.module.objects {
        if o.kind.is_code() {
            let bad: Vec<String> = o
                .findings
                .iter()
                .filter(|f| f.severity >= Severity::Manual)
                .map(|f| format!("{} {}", f.code.code, f.message))
                .collect();
            assert!(bad.is_empty(), "{}: {bad:?}", o.display_name());
            assert!(!o.commented_out, "{} commented out", o.display_name());
        }
    }
    let mut client = common::fresh_db(&conninfo, &format!("plsql_{test}"));
    for s in &out.scripts {
        if let Err(e) = client.batch_execute(&s.text) {
            panic!("{}: {}\n{}", s.name, common::err_text(&e), s.text);
        }
    }
    Some(client)
}

/// SQLSTATE and message of a failing statement.
fn error_of(client: &mut Client, sql: &str) -> (String, String) {
    match client.batch_execute(sql) {
        Ok(()) => panic!("{sql}: expected an error"),
        Err(e) => {
            let d = e.as_db_error().expect("a server error");
            (d.code().code().to_string(), d.message().to_string())
        }
    }
}

fn count(client: &mut Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).expect(sql).get(0)
}

const HR_LIKE_TABLES: &str = "
CREATE TABLE jobs (job_id VARCHAR2(10) PRIMARY KEY, job_title VARCHAR2(35) NOT NULL);
CREATE TABLE staff (
  staff_id   NUMBER(6) PRIMARY KEY,
  name       VARCHAR2(25) NOT NULL,
  hired      DATE NOT NULL,
  job_id     VARCHAR2(10) NOT NULL REFERENCES jobs,
  salary     NUMBER(8,2),
  dept_id    NUMBER(4)
);
CREATE TABLE staff_history (
  staff_id   NUMBER(6) NOT NULL,
  start_date DATE NOT NULL,
  end_date   DATE NOT NULL,
  job_id     VARCHAR2(10) NOT NULL,
  dept_id    NUMBER(4),
  CONSTRAINT staff_history_pk PRIMARY KEY (staff_id, start_date)
);
INSERT INTO jobs VALUES ('CLERK', 'Clerk');
INSERT INTO jobs VALUES ('DEV', 'Developer');
INSERT INTO staff VALUES (1, 'Ann', DATE '2020-03-01', 'CLERK', 3000, 10);
INSERT INTO staff VALUES (2, 'Bob', DATE '2021-06-15', 'CLERK', 3100, 20);
";

const HR_LIKE_CODE: &str = "
CREATE OR REPLACE PROCEDURE record_history
  ( p_staff_id  staff_history.staff_id%TYPE
  , p_start     staff_history.start_date%TYPE
  , p_end       staff_history.end_date%TYPE
  , p_job_id    staff_history.job_id%TYPE
  , p_dept_id   staff_history.dept_id%TYPE )
IS
BEGIN
  INSERT INTO staff_history (staff_id, start_date, end_date, job_id, dept_id)
  VALUES (p_staff_id, p_start, p_end, p_job_id, p_dept_id);
END record_history;
/

CREATE OR REPLACE TRIGGER staff_job_change
  AFTER UPDATE OF job_id, dept_id ON staff
  FOR EACH ROW
BEGIN
  record_history(:old.staff_id, :old.hired, TRUNC(SYSDATE), :old.job_id, :old.dept_id);
END;
/

CREATE OR REPLACE PROCEDURE check_window (p_closed IN NUMBER)
IS
BEGIN
  IF p_closed = 1 THEN
    RAISE_APPLICATION_ERROR(-20205, 'Changes are allowed only in the change window');
  END IF;
END check_window;
/

CREATE TABLE window_state (closed NUMBER(1));
INSERT INTO window_state VALUES (0);

CREATE OR REPLACE TRIGGER staff_window
  BEFORE INSERT OR UPDATE OR DELETE ON staff
DECLARE
  v_closed NUMBER(1);
BEGIN
  SELECT closed INTO v_closed FROM window_state;
  check_window(v_closed);
END staff_window;
/
";

#[test]
fn job_history_trigger_calls_procedure() {
    let Some(mut c) = setup(
        "job_history",
        &[("hr_like.sql", format!("{HR_LIKE_TABLES}{HR_LIKE_CODE}"))],
    ) else {
        return;
    };
    // A salary change does not fire the job history trigger.
    c.batch_execute("UPDATE staff SET salary = salary + 100 WHERE staff_id = 1")
        .unwrap();
    assert_eq!(count(&mut c, "SELECT count(*) FROM staff_history"), 0);
    // A job change records the old job, from the hire date to today.
    c.batch_execute("UPDATE staff SET job_id = 'DEV' WHERE staff_id = 1")
        .unwrap();
    let row = c
        .query_one(
            "SELECT staff_id::int, start_date::date::text, end_date::date = current_date, \
                    job_id, dept_id::int FROM staff_history",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 1);
    assert_eq!(row.get::<_, String>(1), "2020-03-01");
    assert!(row.get::<_, bool>(2));
    assert_eq!(row.get::<_, String>(3), "CLERK");
    assert_eq!(row.get::<_, i32>(4), 10);
    // A department change of another row adds one more.
    c.batch_execute("UPDATE staff SET dept_id = 30 WHERE staff_id = 2")
        .unwrap();
    assert_eq!(count(&mut c, "SELECT count(*) FROM staff_history"), 2);
}

#[test]
fn application_error_from_statement_trigger() {
    let Some(mut c) = setup(
        "window",
        &[("hr_like.sql", format!("{HR_LIKE_TABLES}{HR_LIKE_CODE}"))],
    ) else {
        return;
    };
    c.batch_execute("DELETE FROM staff WHERE staff_id = 2")
        .unwrap();
    c.batch_execute("UPDATE window_state SET closed = 1")
        .unwrap();
    let (state, msg) = error_of(&mut c, "DELETE FROM staff WHERE staff_id = 1");
    assert_eq!(state, "P2205");
    assert_eq!(msg, "Changes are allowed only in the change window");
    assert_eq!(count(&mut c, "SELECT count(*) FROM staff"), 1);
    // Called directly, the procedure raises the same error.
    let (state, _) = error_of(&mut c, "CALL check_window(1)");
    assert_eq!(state, "P2205");
    c.batch_execute("CALL check_window(0)").unwrap();
}

const BANK: &str = "
CREATE TABLE accounts (id NUMBER(10) PRIMARY KEY, owner VARCHAR2(40) NOT NULL,
                       balance NUMBER(12,2) DEFAULT 0 NOT NULL);
CREATE SEQUENCE accounts_seq START WITH 100;
CREATE TABLE audit_log (id NUMBER(10), msg VARCHAR2(200));

CREATE OR REPLACE FUNCTION get_balance (p_id IN accounts.id%TYPE) RETURN NUMBER IS
  v_balance accounts.balance%TYPE;
BEGIN
  SELECT balance INTO v_balance FROM accounts WHERE id = p_id;
  RETURN v_balance;
EXCEPTION
  WHEN NO_DATA_FOUND THEN
    RETURN -1;
END get_balance;
/

CREATE OR REPLACE PROCEDURE open_account (p_owner IN VARCHAR2, p_id OUT NUMBER,
                                          p_initial IN NUMBER DEFAULT 0) AS
BEGIN
  INSERT INTO accounts (id, owner, balance)
  VALUES (accounts_seq.NEXTVAL, p_owner, p_initial)
  RETURNING id INTO p_id;
END open_account;
/

CREATE OR REPLACE PROCEDURE withdraw (p_id IN NUMBER, p_amount IN NUMBER) IS
  e_insufficient EXCEPTION;
  v_balance NUMBER(12,2);
BEGIN
  v_balance := get_balance(p_id);
  IF v_balance < p_amount THEN
    RAISE e_insufficient;
  END IF;
  UPDATE accounts SET balance = balance - p_amount WHERE id = p_id;
  INSERT INTO audit_log (id, msg) VALUES (p_id, 'rows ' || SQL%ROWCOUNT);
EXCEPTION
  WHEN e_insufficient THEN
    RAISE_APPLICATION_ERROR(-20010, 'insufficient funds on ' || p_id);
END withdraw;
/

CREATE OR REPLACE PROCEDURE count_rich (p_min IN NUMBER, p_count OUT NUMBER) IS
  CURSOR c_acc IS SELECT id, balance FROM accounts ORDER BY id;
BEGIN
  p_count := 0;
  FOR r IN c_acc LOOP
    IF r.balance >= p_min THEN
      p_count := p_count + 1;
    END IF;
  END LOOP;
END count_rich;
/
";

#[test]
fn out_parameters_exceptions_and_rowcount() {
    let Some(mut c) = setup("bank", &[("bank.sql", BANK.to_string())]) else {
        return;
    };
    // The OUT parameter comes back to the caller.
    c.batch_execute(
        "DO $$ DECLARE v numeric; BEGIN CALL open_account('ann', v, 50); \
         IF v IS DISTINCT FROM 100 THEN RAISE EXCEPTION 'got %', v; END IF; END $$",
    )
    .unwrap();
    assert_eq!(
        count(&mut c, "SELECT get_balance(100)::bigint"),
        50,
        "balance"
    );
    assert_eq!(count(&mut c, "SELECT get_balance(999)::bigint"), -1);
    c.batch_execute("CALL withdraw(100, 20)").unwrap();
    assert_eq!(count(&mut c, "SELECT get_balance(100)::bigint"), 30);
    let msg: String = c
        .query_one("SELECT msg FROM audit_log", &[])
        .unwrap()
        .get(0);
    assert_eq!(msg, "rows 1");
    let (state, msg) = error_of(&mut c, "CALL withdraw(100, 1000)");
    assert_eq!(state, "P2010");
    assert_eq!(msg, "insufficient funds on 100");
    c.batch_execute(
        "DO $$ DECLARE n numeric; BEGIN CALL count_rich(10, n); \
         IF n IS DISTINCT FROM 1 THEN RAISE EXCEPTION 'got %', n; END IF; END $$",
    )
    .unwrap();
}

/// HR's own routines from the corpus (when present): the job history trigger and the
/// office-hours procedure.
#[test]
fn corpus_hr_routines() {
    let root = common::root();
    let rel = "oracle/hr/v21.1/human_resources";
    let candidates = [
        std::env::var_os("SCHEMAC_CORPUS").map(std::path::PathBuf::from),
        Some(root.join("../shared/corpus")),
        Some(root.join("../../shared/corpus")),
    ];
    let Some(dir) = candidates
        .into_iter()
        .flatten()
        .map(|c| c.join(rel))
        .find(|d| d.is_dir())
    else {
        eprintln!("SKIPPED: no HR corpus ({rel} under ../shared/corpus; set SCHEMAC_CORPUS)");
        return;
    };
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let Some(mut c) = setup(
        "hr_corpus",
        &[
            ("hr_cre.sql", read("hr_cre.sql")),
            ("hr_popul.sql", read("hr_popul.sql")),
            ("hr_code.sql", read("hr_code.sql")),
        ],
    ) else {
        return;
    };
    let before = count(&mut c, "SELECT count(*) FROM job_history");
    // secure_employees is disabled as in the source, so DML works at any time.
    c.batch_execute("UPDATE employees SET job_id = 'IT_PROG' WHERE employee_id = 206")
        .unwrap();
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM job_history"),
        before + 1
    );
    let job: String = c
        .query_one(
            "SELECT job_id FROM job_history WHERE employee_id = 206 \
               AND end_date::date = current_date",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(job, "AC_ACCOUNT");
    // secure_dml raises ORA-20205 outside office hours (08:00-18:00, Monday to Friday).
    let closed: bool = c
        .query_one(
            "SELECT to_char(localtimestamp, 'HH24:MI') NOT BETWEEN '08:00' AND '18:00' \
                 OR to_char(localtimestamp, 'DY') IN ('SAT', 'SUN')",
            &[],
        )
        .unwrap()
        .get(0);
    match c.batch_execute("CALL secure_dml()") {
        Ok(()) => assert!(!closed, "secure_dml must raise outside office hours"),
        Err(e) => {
            let d = e.as_db_error().unwrap();
            assert!(closed, "secure_dml raised during office hours");
            assert_eq!(d.code().code(), "P2205");
            assert_eq!(
                d.message(),
                "You may only make changes during normal office hours"
            );
        }
    }
}

#[test]
fn packages_and_package_state() {
    let src =
        std::fs::read_to_string(common::root().join("fixtures/convert/oracle/plsql_packages.sql"))
            .unwrap();
    let Some(mut c) = setup("packages", &[("plsql_packages.sql", src)]) else {
        return;
    };
    c.batch_execute("CALL place_two('ann'); CALL order_api.place('bob', 5)")
        .unwrap();
    assert_eq!(
        count(&mut c, "SELECT order_api.total_for('ann')::bigint"),
        30
    );
    let (state, msg) = error_of(&mut c, "CALL order_api.place('ann', 0)");
    assert_eq!(
        (state.as_str(), msg.as_str()),
        ("P2301", "amount must be positive")
    );
    let (state, msg) = error_of(&mut c, "CALL order_api.cancel(999)");
    assert_eq!((state.as_str(), msg.as_str()), ("P2302", "no order 999"));
    c.batch_execute("CALL order_api.cancel(1)").unwrap();
    assert_eq!(
        count(&mut c, "SELECT order_api.total_for('ann')::bigint"),
        20
    );
    // Package state lives as long as the session.
    assert_eq!(count(&mut c, "SELECT call_counter.calls()::bigint"), 0);
    c.batch_execute("CALL call_counter.hit(); CALL call_counter.hit()")
        .unwrap();
    assert_eq!(count(&mut c, "SELECT call_counter.calls()::bigint"), 2);
}

/// Tables of dms_sample that `ticket_management.pkg` reads and writes (the columns it uses, with
/// the corpus types), and a small event: one row of four free seats and one of two.
const DMS_TABLES: &str = "
CREATE TABLE sport_type (name VARCHAR2(15) PRIMARY KEY);
CREATE TABLE sport_team (id NUMBER PRIMARY KEY, name VARCHAR2(30) NOT NULL);
CREATE TABLE sport_location (id NUMBER PRIMARY KEY, name VARCHAR2(60) NOT NULL);
CREATE TABLE person (id NUMBER PRIMARY KEY, full_name VARCHAR2(60));
CREATE TABLE sporting_event (
  id NUMBER PRIMARY KEY, sport_type_name VARCHAR2(15) NOT NULL, home_team_id NUMBER NOT NULL,
  away_team_id NUMBER NOT NULL, location_id NUMBER NOT NULL, start_date_time DATE NOT NULL,
  sold_out NUMBER(1) DEFAULT 0 NOT NULL);
CREATE TABLE sporting_event_ticket (
  id NUMBER PRIMARY KEY, sporting_event_id NUMBER NOT NULL, sport_location_id NUMBER NOT NULL,
  seat_level NUMBER(1) NOT NULL, seat_section VARCHAR(15) NOT NULL,
  seat_row VARCHAR2(10) NOT NULL, seat VARCHAR2(10) NOT NULL, ticketholder_id NUMBER,
  ticket_price NUMBER(8,2) NOT NULL);
CREATE TABLE ticket_purchase_hist (
  sporting_event_ticket_id NUMBER NOT NULL, purchased_by_id NUMBER NOT NULL,
  transaction_date_time DATE NOT NULL, transferred_from_id NUMBER,
  purchase_price NUMBER(8,2) NOT NULL,
  CONSTRAINT ticket_purchase_hist_pk
    PRIMARY KEY (sporting_event_ticket_id, purchased_by_id, transaction_date_time));
INSERT INTO sport_type VALUES ('football');
INSERT INTO sport_team VALUES (1, 'Home Team');
INSERT INTO sport_team VALUES (2, 'Away Team');
INSERT INTO sport_location VALUES (1, 'Stadium');
INSERT INTO person VALUES (1, 'Ann');
INSERT INTO person VALUES (2, 'Bob');
INSERT INTO person VALUES (3, 'Cy');
INSERT INTO sporting_event VALUES (1, 'football', 1, 2, 1, TO_DATE('2026-09-01 18:00', 'YYYY-MM-DD HH24:MI'), 0);
INSERT INTO sporting_event_ticket VALUES (1, 1, 1, 1, 'A', 'R1', '1', NULL, 40);
INSERT INTO sporting_event_ticket VALUES (2, 1, 1, 1, 'A', 'R1', '2', NULL, 40);
INSERT INTO sporting_event_ticket VALUES (3, 1, 1, 1, 'A', 'R1', '3', NULL, 40);
INSERT INTO sporting_event_ticket VALUES (4, 1, 1, 1, 'A', 'R1', '4', NULL, 40);
INSERT INTO sporting_event_ticket VALUES (5, 1, 1, 2, 'B', 'R9', '1', NULL, 25);
INSERT INTO sporting_event_ticket VALUES (6, 1, 1, 2, 'B', 'R9', '2', NULL, 25);
";

/// dms_sample's `ticketManagement` package from the corpus: records, an associative array of
/// rows, a cursor FOR UPDATE with WHERE CURRENT OF, a user exception, COMMIT in a block with a
/// handler, package state set by the initialization section.
#[test]
fn corpus_dms_ticket_management() {
    let root = common::root();
    let rel = "oracle/dms_sample/schema/ticket_management.pkg";
    let Some(pkg) = [
        std::env::var_os("SCHEMAC_CORPUS").map(std::path::PathBuf::from),
        Some(root.join("../shared/corpus")),
        Some(root.join("../../shared/corpus")),
    ]
    .into_iter()
    .flatten()
    .map(|c| c.join(rel))
    .find(|p| p.is_file()) else {
        eprintln!("SKIPPED: no dms_sample corpus ({rel} under ../shared/corpus)");
        return;
    };
    let src = std::fs::read_to_string(pkg).unwrap();
    let Some(mut c) = setup(
        "dms_tickets",
        &[
            ("tables.sql", DMS_TABLES.to_string()),
            ("ticket_management.pkg", src),
        ],
    ) else {
        return;
    };
    let sold = |c: &mut Client, who: i64| {
        count(
            c,
            &format!("SELECT count(*) FROM sporting_event_ticket WHERE ticketholder_id = {who}"),
        )
    };
    // Three adjacent seats: the first row with at least three free seats, locked and sold.
    c.batch_execute("CALL ticketmanagement.selltickets(2, 1, 3)")
        .unwrap();
    assert_eq!(sold(&mut c, 2), 3);
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM sporting_event_ticket \
             WHERE ticketholder_id = 2 AND seat_row = 'R1'"
        ),
        3
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT sum(purchase_price)::bigint FROM ticket_purchase_hist WHERE purchased_by_id = 2"
        ),
        120
    );
    // No row has three free seats any more: the user exception is handled (a message), nothing
    // is sold, no error reaches the caller.
    c.batch_execute("CALL ticketmanagement.selltickets(3, 1, 3)")
        .unwrap();
    assert_eq!(sold(&mut c, 3), 0);
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM ticket_purchase_hist"),
        3
    );
    // The initialization section ran once: the package state holds the person id range.
    assert_eq!(
        count(
            &mut c,
            "SELECT current_setting('ticketmanagement.g_max_person_id')::bigint"
        ),
        3
    );
    // A transfer moves every ticket of the last purchase of the holder (Oracle's query).
    c.batch_execute("CALL ticketmanagement.transferticket(1, 3)")
        .unwrap();
    assert_eq!(sold(&mut c, 2), 0);
    assert_eq!(sold(&mut c, 3), 3);
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM ticket_purchase_hist WHERE transferred_from_id = 2 \
             AND purchased_by_id = 3 AND purchase_price = 40"
        ),
        3
    );
    // The open events as an array of rows, and a record of details.
    assert_eq!(
        count(
            &mut c,
            "SELECT cardinality(ticketmanagement.get_open_events())::bigint"
        ),
        1
    );
    let home: String = c
        .query_one(
            "SELECT (ticketmanagement.get_event_details(1)).home_team_name::text",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(home, "Home Team");
}

/// Records, collections, BULK COLLECT, FORALL and a package initialization section
/// (`fixtures/convert/oracle/plsql_collections.sql`).
#[test]
fn collections_bulk_collect_forall() {
    let src = std::fs::read_to_string(
        common::root().join("fixtures/convert/oracle/plsql_collections.sql"),
    )
    .unwrap();
    let Some(mut c) = setup("collections", &[("plsql_collections.sql", src)]) else {
        return;
    };
    c.batch_execute(
        "INSERT INTO events VALUES (1, 'a', 0, now()), (2, NULL, 1, now()), (3, 'c', 0, now())",
    )
    .unwrap();
    // BULK COLLECT of rows (one with a NULL field) and of numbers, then FORALL over both.
    c.batch_execute("CALL copy_events(2)").unwrap();
    assert_eq!(count(&mut c, "SELECT count(*) FROM event_copy"), 2);
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM event_copy WHERE sold_out = 1"),
        1
    );
    // Arrays of rows through a function, a record result, EXTEND / DELETE / EXISTS.
    c.batch_execute("CALL evt.demo()").unwrap();
    // The initialization section sets the base before the first routine runs.
    c.batch_execute("CALL counters.bump(3)").unwrap();
    assert_eq!(
        count(&mut c, "SELECT sold_out::bigint FROM events WHERE id = 3"),
        1
    );
    assert_eq!(
        count(&mut c, "SELECT current_setting('counters.g_base')::bigint"),
        0
    );
    // No such event: the user exception's handler rolls back, no error.
    c.batch_execute("CALL counters.bump(99)").unwrap();
}

/// An anonymous block runs where it stands in its script, with the data: it sees the rows
/// inserted before it and not those inserted after it in the same script (dms_sample's
/// sport_location.tab). A block reading a table that another script fills later is kept
/// commented out (PLS016): the files of a directory are read in name order, not run order.
#[test]
fn anonymous_block_runs_between_the_data_of_its_script() {
    const ONE: &str = "CREATE TABLE t1 (id NUMBER(9) PRIMARY KEY);
CREATE TABLE t2 (n NUMBER(9));
INSERT INTO t1 VALUES (1);
INSERT INTO t1 VALUES (2);
DECLARE
  c NUMBER;
BEGIN
  SELECT count(*) INTO c FROM t1;
  INSERT INTO t2 VALUES (c);
END;
/
INSERT INTO t1 VALUES (3);
";
    let mut map = SourceMap::default();
    map.add_text("one.sql", ONE);
    map.add_text("two.sql", "INSERT INTO t1 VALUES (4);\n");
    let out = schemac::convert(map, &Options::new(SourceDialect::Oracle, Target::Postgres));
    let block = out
        .module
        .objects
        .iter()
        .find(|o| matches!(o.stmt, schemac::ir::Stmt::AnonymousBlock(_)))
        .expect("the block");
    assert!(
        block.commented_out,
        "two.sql fills t1 later: kept commented out"
    );
    assert!(block.findings.iter().any(|f| f.code.code == "PLS016"));

    let Some(mut c) = setup("block_order", &[("one.sql", ONE.to_string())]) else {
        return;
    };
    assert_eq!(count(&mut c, "SELECT count(*) FROM t1"), 3);
    assert_eq!(count(&mut c, "SELECT n::bigint FROM t2"), 2);
}

/// `EXECUTE IMMEDIATE` of constant strings: DDL (a foreign key lifted into its own
/// statement), DML with USING binds, queries INTO OUT parameters, NO_DATA_FOUND.
const DYNAMIC: &str = "
CREATE TABLE dyn_log (id NUMBER(10) PRIMARY KEY, msg VARCHAR2(100));

CREATE OR REPLACE PROCEDURE dyn_setup AS
BEGIN
  EXECUTE IMMEDIATE 'CREATE TABLE dyn_item (id NUMBER(5) PRIMARY KEY, name VARCHAR2(20), '
    || 'log_id NUMBER(10) REFERENCES dyn_log (id))';
END;
/

CREATE OR REPLACE PROCEDURE dyn_add (p_id NUMBER, p_msg VARCHAR2) AS
BEGIN
  EXECUTE IMMEDIATE 'INSERT INTO dyn_log (id, msg) VALUES (:id, NVL(:msg, ''none''))'
    USING p_id, p_msg;
  EXECUTE IMMEDIATE 'UPDATE dyn_log SET msg = UPPER(SUBSTR(msg, 1, :n)) WHERE id = :id'
    USING 3, p_id;
END;
/

CREATE OR REPLACE PROCEDURE dyn_count (p_min NUMBER, p_count OUT NUMBER, p_first OUT VARCHAR2) AS
BEGIN
  EXECUTE IMMEDIATE 'SELECT COUNT(*) FROM dyn_log WHERE id >= :1' INTO p_count USING p_min;
  EXECUTE IMMEDIATE 'SELECT msg FROM dyn_log '
    || 'WHERE id = (SELECT MIN(id) FROM dyn_log WHERE id >= :1)' INTO p_first USING p_min;
END;
/

CREATE OR REPLACE PROCEDURE dyn_msg (p_id NUMBER, p_msg OUT VARCHAR2) AS
BEGIN
  EXECUTE IMMEDIATE 'SELECT msg FROM dyn_log WHERE id = :1' INTO p_msg USING p_id;
EXCEPTION
  WHEN NO_DATA_FOUND THEN p_msg := 'missing';
END;
/
";

#[test]
fn constant_dynamic_sql() {
    let Some(mut c) = setup("dynamic", &[("dynamic.sql", DYNAMIC.to_string())]) else {
        return;
    };
    c.batch_execute("CALL dyn_setup()").unwrap();
    let ty: String = c
        .query_one(
            "SELECT data_type::text FROM information_schema.columns \
             WHERE table_name = 'dyn_item' AND column_name = 'name'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(ty, "character varying");
    // The foreign key of the second statement holds.
    c.batch_execute("INSERT INTO dyn_item VALUES (1, 'a', NULL)")
        .unwrap();
    let (state, _) = error_of(&mut c, "INSERT INTO dyn_item VALUES (2, 'b', 99)");
    assert_eq!(state, "23503");
    c.batch_execute("CALL dyn_add(1, 'hello'); CALL dyn_add(2, NULL); CALL dyn_add(3, 'xy')")
        .unwrap();
    let rows: Vec<(i64, String)> = c
        .query("SELECT id::bigint, msg FROM dyn_log ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        rows,
        vec![
            (1, "HEL".to_string()),
            (2, "NON".to_string()),
            (3, "XY".to_string())
        ]
    );
    c.batch_execute(
        "DO $$ DECLARE v_n numeric; v_f varchar; BEGIN CALL dyn_count(2::numeric, v_n, v_f); \
         IF v_n IS DISTINCT FROM 2 OR v_f IS DISTINCT FROM 'NON' THEN \
         RAISE EXCEPTION 'got % %', v_n, v_f; END IF; END $$",
    )
    .unwrap();
    c.batch_execute(
        "DO $$ DECLARE m varchar; BEGIN CALL dyn_msg(1::numeric, m); \
         IF m IS DISTINCT FROM 'HEL' THEN RAISE EXCEPTION 'got %', m; END IF; \
         CALL dyn_msg(9::numeric, m); \
         IF m IS DISTINCT FROM 'missing' THEN RAISE EXCEPTION 'got %', m; END IF; END $$",
    )
    .unwrap();
    // No row: NO_DATA_FOUND reaches the caller, as in Oracle.
    let (state, _) = error_of(&mut c, "CALL dyn_count(7, NULL, NULL)");
    assert_eq!(state, "P0002");
}

/// The rows of `stock` as `item:qty:note`, in item order.
fn stock_rows(c: &mut Client) -> String {
    c.query_one(
        "SELECT coalesce(string_agg(item || ':' || qty || ':' || coalesce(note, '-'), ' ' \
         ORDER BY item), '') FROM stock",
        &[],
    )
    .unwrap()
    .get(0)
}

#[test]
fn merge_update_delete_insert() {
    let Some(mut c) = setup("merge", &[("merge.sql", common::ORACLE_MERGE.to_string())]) else {
        return;
    };
    c.batch_execute(
        "INSERT INTO stock VALUES (1, 10, 'a'), (2, 5, 'b'), (3, 0, 'c'); \
         INSERT INTO moves VALUES (1, 5), (2, -5), (4, 7), (5, 0), (6, -1); \
         CALL restock()",
    )
    .unwrap();
    // 1 and 2 updated; 4 inserted; 5 and 6 fail the INSERT's WHERE.
    assert_eq!(stock_rows(&mut c), "1:15:a 2:0:b 3:0:c 4:7:-");
    c.batch_execute(
        "DELETE FROM moves; INSERT INTO moves VALUES (1, 15), (4, 2), (2, 0); CALL consume()",
    )
    .unwrap();
    // 1 reaches zero and is deleted; 4 is updated; 2 is zero but not updated (its move is
    // 0, the UPDATE's WHERE is false), so it stays, as 3 does (no move).
    assert_eq!(stock_rows(&mut c), "2:0:b 3:0:c 4:5:-");
    // SQL%ROWCOUNT after a MERGE: the rows it merged (one updated, then one inserted).
    c.batch_execute(
        "DO $$ DECLARE n numeric; m numeric; BEGIN CALL put_stock(2, 9, 'x', n); \
         CALL put_stock(8, 1, 'new', m); \
         IF n IS DISTINCT FROM 1 OR m IS DISTINCT FROM 1 THEN \
         RAISE EXCEPTION 'got % %', n, m; END IF; END $$",
    )
    .unwrap();
    assert_eq!(stock_rows(&mut c), "2:9:x 3:0:c 4:5:- 8:1:new");
}
