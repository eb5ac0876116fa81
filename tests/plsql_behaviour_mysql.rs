//! Behaviour of PL/SQL converted to MySQL stored programs, on the real server (MariaDB from
//! `SCHEMAC_MY`, see `scripts/test`): a job history row trigger calling a procedure, an
//! application error raised from a statement trigger, OUT parameters, user and predefined
//! exceptions with their messages, NO_DATA_FOUND of SELECT INTO, cursor loops, named
//! arguments and defaults, packages with state, a trigger split per event, sequences. Each
//! test converts Oracle source, applies every script the way the mysql client does, runs
//! statements and checks what Oracle would give. When `../shared/corpus` holds HR, its own
//! routines are run too.

mod common;

use common::my;
use mysql::Conn;
use mysql::prelude::Queryable;
use schemac::diag::Severity;
use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

/// Converts Oracle source, checks that no code object needs a person, applies every script
/// to a reset server. Holds the server lock for the test.
fn setup(
    test: &str,
    files: &[(&str, String)],
) -> Option<(Conn, std::sync::MutexGuard<'static, ()>)> {
    let info = my::my_info(test)?;
    let mut map = SourceMap::default();
    for (name, text) in files {
        map.add_text(*name, text.clone());
    }
    let out = schemac::convert(map, &Options::new(SourceDialect::Oracle, Target::Mysql));
    for o in &out.module.objects {
        if o.kind.is_code() && !o.commented_out {
            let bad: Vec<String> = o
                .findings
                .iter()
                .filter(|f| f.severity >= Severity::Manual)
                .map(|f| format!("{} {}", f.code.code, f.message))
                .collect();
            assert!(bad.is_empty(), "{}: {bad:?}", o.display_name());
        }
    }
    let guard = my::lock();
    let mut conn = my::connect(&info);
    my::reset(&mut conn);
    for s in &out.scripts {
        if let Err(e) = my::run_script(&mut conn, &s.text) {
            panic!("{}: {e}\n{}", s.name, s.text);
        }
    }
    Some((conn, guard))
}

/// SQLSTATE, error number and message of a failing statement.
fn error_of(conn: &mut Conn, sql: &str) -> (String, u16, String) {
    // Rows are read: an error raised while a SELECT runs comes with the rows.
    match conn.query::<mysql::Row, _>(sql) {
        Ok(_) => panic!("{sql}: expected an error"),
        Err(mysql::Error::MySqlError(e)) => (e.state, e.code, e.message),
        Err(e) => panic!("{sql}: {e}"),
    }
}

/// An integral value (decimals such as `30.000` included).
fn int(conn: &mut Conn, sql: &str) -> i64 {
    let v = text(conn, sql).unwrap_or_else(|| panic!("{sql}: no value"));
    let f: f64 = v.parse().unwrap_or_else(|e| panic!("{sql}: {v}: {e}"));
    assert!(f.fract() == 0.0, "{sql}: {v} is not integral");
    f as i64
}

fn text(conn: &mut Conn, sql: &str) -> Option<String> {
    conn.query_first::<Option<String>, _>(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .flatten()
}

const HR_LIKE: &str = "
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
INSERT INTO staff VALUES (1, 'Ann', TO_DATE('2020-03-01', 'YYYY-MM-DD'), 'CLERK', 3000, 10);
INSERT INTO staff VALUES (2, 'Bob', TO_DATE('2021-06-15', 'YYYY-MM-DD'), 'CLERK', 3100, 20);

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
  record_history(:old.staff_id, :old.hired, SYSDATE, :old.job_id, :old.dept_id);
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
    let Some((mut c, _g)) = setup("my_job_history", &[("hr_like.sql", HR_LIKE.into())]) else {
        return;
    };
    // A salary change does not fire the job history trigger (UPDATE OF job_id, dept_id).
    c.query_drop("UPDATE staff SET salary = salary + 100 WHERE staff_id = 1")
        .unwrap();
    assert_eq!(int(&mut c, "SELECT count(*) FROM staff_history"), 0);
    c.query_drop("UPDATE staff SET job_id = 'DEV' WHERE staff_id = 1")
        .unwrap();
    let row: (i64, String, i64, String, i64) = c
        .query_first(
            "SELECT staff_id, CAST(CAST(start_date AS DATE) AS CHAR), \
                    CAST(end_date AS DATE) = CURRENT_DATE, job_id, dept_id FROM staff_history",
        )
        .unwrap()
        .unwrap();
    assert_eq!(row, (1, "2020-03-01".into(), 1, "CLERK".into(), 10));
    c.query_drop("UPDATE staff SET dept_id = 30 WHERE staff_id = 2")
        .unwrap();
    assert_eq!(int(&mut c, "SELECT count(*) FROM staff_history"), 2);
}

#[test]
fn application_error_from_statement_trigger() {
    let Some((mut c, _g)) = setup("my_window", &[("hr_like.sql", HR_LIKE.into())]) else {
        return;
    };
    c.query_drop("DELETE FROM staff WHERE staff_id = 2")
        .unwrap();
    c.query_drop("UPDATE window_state SET closed = 1").unwrap();
    let (state, code, msg) = error_of(&mut c, "DELETE FROM staff WHERE staff_id = 1");
    assert_eq!(
        (state.as_str(), code, msg.as_str()),
        (
            "P2205",
            20205,
            "Changes are allowed only in the change window"
        )
    );
    assert_eq!(int(&mut c, "SELECT count(*) FROM staff"), 1);
    let (state, _, _) = error_of(&mut c, "CALL check_window(1)");
    assert_eq!(state, "P2205");
    c.query_drop("CALL check_window(0)").unwrap();
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

CREATE OR REPLACE PROCEDURE withdraw (p_id IN accounts.id%TYPE, p_amount IN NUMBER) IS
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

-- Unhandled NO_DATA_FOUND reaches the caller.
CREATE OR REPLACE FUNCTION owner_of (p_id IN NUMBER) RETURN VARCHAR2 IS
  v_owner accounts.owner%TYPE;
BEGIN
  SELECT owner INTO v_owner FROM accounts WHERE id = p_id;
  RETURN v_owner;
END owner_of;
/

-- TOO_MANY_ROWS, DUP_VAL_ON_INDEX and WHEN OTHERS with SQLERRM.
CREATE OR REPLACE FUNCTION probe (p_what IN VARCHAR2) RETURN VARCHAR2 IS
  v_id NUMBER;
BEGIN
  IF p_what = 'many' THEN
    SELECT id INTO v_id FROM accounts;
  ELSIF p_what = 'dup' THEN
    INSERT INTO accounts (id, owner) VALUES (100, 'dup');
  ELSE
    RAISE_APPLICATION_ERROR(-20999, 'probe ' || p_what);
  END IF;
  RETURN 'none';
EXCEPTION
  WHEN TOO_MANY_ROWS THEN
    RETURN 'too many';
  WHEN DUP_VAL_ON_INDEX THEN
    RETURN 'duplicate';
  WHEN OTHERS THEN
    RETURN 'other: ' || SQLERRM;
END probe;
/
";

#[test]
fn out_parameters_exceptions_and_rowcount() {
    let Some((mut c, _g)) = setup("my_bank", &[("bank.sql", BANK.into())]) else {
        return;
    };
    // The OUT parameter comes back; the default of p_initial must be passed on MySQL.
    c.query_drop("CALL open_account('ann', @v, 50)").unwrap();
    assert_eq!(int(&mut c, "SELECT @v"), 100);
    c.query_drop("CALL open_account('bob', @w, 5)").unwrap();
    assert_eq!(int(&mut c, "SELECT @w"), 101);
    assert_eq!(int(&mut c, "SELECT get_balance(100)"), 50);
    assert_eq!(int(&mut c, "SELECT get_balance(999)"), -1);
    c.query_drop("CALL withdraw(100, 20)").unwrap();
    assert_eq!(int(&mut c, "SELECT get_balance(100)"), 30);
    assert_eq!(
        text(&mut c, "SELECT msg FROM audit_log").as_deref(),
        Some("rows 1")
    );
    let (state, code, msg) = error_of(&mut c, "CALL withdraw(100, 1000)");
    assert_eq!(
        (state.as_str(), code, msg.as_str()),
        ("P2010", 20010, "insufficient funds on 100")
    );
    c.query_drop("CALL count_rich(10, @n)").unwrap();
    assert_eq!(int(&mut c, "SELECT @n"), 1);
    c.query_drop("CALL count_rich(0, @n)").unwrap();
    assert_eq!(int(&mut c, "SELECT @n"), 2);
    // NO_DATA_FOUND without a handler: an error for the caller (MySQL itself only warns).
    assert_eq!(text(&mut c, "SELECT owner_of(101)").as_deref(), Some("bob"));
    let (state, _, msg) = error_of(&mut c, "SELECT owner_of(5)");
    assert_eq!((state.as_str(), msg.as_str()), ("P0002", "no data found"));
    assert_eq!(
        text(&mut c, "SELECT probe('many')").as_deref(),
        Some("too many")
    );
    assert_eq!(
        text(&mut c, "SELECT probe('dup')").as_deref(),
        Some("duplicate")
    );
    assert_eq!(
        text(&mut c, "SELECT probe('x')").as_deref(),
        Some("other: probe x")
    );
}

const LOOPS: &str = "
CREATE TABLE nums (n NUMBER(6) PRIMARY KEY, label VARCHAR2(20));

CREATE OR REPLACE PROCEDURE fill (p_from IN NUMBER, p_to IN NUMBER, p_label IN VARCHAR2 DEFAULT 'x') IS
BEGIN
  FOR i IN REVERSE p_from .. p_to LOOP
    CONTINUE WHEN MOD(i, 3) = 0;
    INSERT INTO nums (n, label) VALUES (i, p_label);
  END LOOP;
END fill;
/

CREATE OR REPLACE FUNCTION sum_nums (p_max IN NUMBER) RETURN NUMBER IS
  CURSOR c (p_lim NUMBER) IS SELECT n FROM nums WHERE n <= p_lim ORDER BY n;
  v_n     nums.n%TYPE;
  v_total NUMBER := 0;
  v_count NUMBER := 0;
BEGIN
  OPEN c(p_max);
  LOOP
    FETCH c INTO v_n;
    EXIT WHEN c%NOTFOUND;
    v_total := v_total + v_n;
    v_count := v_count + 1;
  END LOOP;
  CLOSE c;
  RETURN v_total * 1000 + v_count;
END sum_nums;
/

CREATE OR REPLACE PROCEDURE run_fill IS
BEGIN
  fill(p_to => 10, p_from => 1);
  fill(20, 22, 'y');
END run_fill;
/
";

#[test]
fn loops_cursors_named_arguments_and_defaults() {
    let Some((mut c, _g)) = setup("my_loops", &[("loops.sql", LOOPS.into())]) else {
        return;
    };
    c.query_drop("CALL run_fill()").unwrap();
    // 1..10 without multiples of 3 (label 'x' from the default), 20 and 22 ('y').
    assert_eq!(
        text(
            &mut c,
            "SELECT GROUP_CONCAT(n ORDER BY n) FROM nums WHERE label = 'x'"
        )
        .as_deref(),
        Some("1,2,4,5,7,8,10")
    );
    assert_eq!(
        text(
            &mut c,
            "SELECT GROUP_CONCAT(n ORDER BY n) FROM nums WHERE label = 'y'"
        )
        .as_deref(),
        Some("20,22")
    );
    // Cursor with a parameter, explicit FETCH and %NOTFOUND: 1+2+4+5+7+8 = 27, 6 rows.
    assert_eq!(int(&mut c, "SELECT sum_nums(9)"), 27006);
    assert_eq!(int(&mut c, "SELECT sum_nums(0)"), 0);
}

#[test]
fn packages_and_package_state() {
    let src =
        std::fs::read_to_string(common::root().join("fixtures/convert/oracle/plsql_packages.sql"))
            .unwrap();
    let Some((mut c, _g)) = setup("my_packages", &[("plsql_packages.sql", src)]) else {
        return;
    };
    c.query_drop("CALL place_two('ann')").unwrap();
    c.query_drop("CALL order_api__place('bob', 5)").unwrap();
    assert_eq!(int(&mut c, "SELECT order_api__total_for('ann')"), 30);
    assert_eq!(int(&mut c, "SELECT count(*) FROM orders"), 3);
    assert_eq!(int(&mut c, "SELECT max(id) FROM orders"), 3);
    let (state, code, msg) = error_of(&mut c, "CALL order_api__place('ann', 0)");
    assert_eq!(
        (state.as_str(), code, msg.as_str()),
        ("P2301", 20301, "amount must be positive")
    );
    let (state, _, msg) = error_of(&mut c, "CALL order_api__cancel(999)");
    assert_eq!((state.as_str(), msg.as_str()), ("P2302", "no order 999"));
    c.query_drop("CALL order_api__cancel(1)").unwrap();
    assert_eq!(int(&mut c, "SELECT order_api__total_for('ann')"), 20);
    // Package state lives as long as the session.
    assert_eq!(int(&mut c, "SELECT call_counter__calls()"), 0);
    c.query_drop("CALL call_counter__hit()").unwrap();
    c.query_drop("CALL call_counter__hit()").unwrap();
    assert_eq!(int(&mut c, "SELECT call_counter__calls()"), 2);
}

/// seq, item_id, action, old_price, new_price.
type HistoryRow = (i64, i64, String, Option<f64>, Option<f64>);

const SPLIT: &str = "
CREATE TABLE items (id NUMBER(10) PRIMARY KEY, price NUMBER(10,2));
CREATE SEQUENCE hist_seq START WITH 1 MAXVALUE 3 CYCLE NOCACHE;
CREATE TABLE item_history (seq NUMBER(10), item_id NUMBER(10), action VARCHAR2(10),
                           old_price NUMBER(10,2), new_price NUMBER(10,2));

CREATE OR REPLACE TRIGGER items_audit
  AFTER INSERT OR UPDATE OR DELETE ON items
  REFERENCING OLD AS o NEW AS n
  FOR EACH ROW
DECLARE
  v_action VARCHAR2(10);
BEGIN
  IF INSERTING THEN
    v_action := 'insert';
  ELSIF UPDATING('PRICE') THEN
    v_action := 'price';
  ELSIF UPDATING THEN
    v_action := 'update';
  ELSE
    v_action := 'delete';
  END IF;
  INSERT INTO item_history (seq, item_id, action, old_price, new_price)
  VALUES (hist_seq.NEXTVAL, NVL(:n.id, :o.id), v_action, :o.price, :n.price);
END items_audit;
/

BEGIN
  INSERT INTO items VALUES (1, 10);
  INSERT INTO items VALUES (2, 20);
END;
/
";

#[test]
fn trigger_split_per_event_and_sequence() {
    let Some((mut c, _g)) = setup("my_split", &[("split.sql", SPLIT.into())]) else {
        return;
    };
    // The block ran at apply time, with the data (before the triggers are created).
    assert_eq!(int(&mut c, "SELECT count(*) FROM items"), 2);
    assert_eq!(int(&mut c, "SELECT count(*) FROM item_history"), 0);
    c.query_drop("UPDATE items SET price = 11 WHERE id = 1")
        .unwrap();
    c.query_drop("UPDATE items SET id = 3 WHERE id = 2")
        .unwrap();
    c.query_drop("DELETE FROM items WHERE id = 3").unwrap();
    c.query_drop("INSERT INTO items VALUES (4, 40)").unwrap();
    let rows: Vec<HistoryRow> = c
        .query(
            "SELECT seq, item_id, action, CAST(old_price AS DOUBLE), CAST(new_price AS DOUBLE) \
               FROM item_history ORDER BY 1, 3",
        )
        .unwrap();
    // One trigger per event; the sequence cycles 1, 2, 3, 1.
    let got: Vec<(i64, i64, &str)> = rows.iter().map(|r| (r.0, r.1, r.2.as_str())).collect();
    assert_eq!(
        got,
        [
            (1, 4, "insert"),
            (1, 1, "price"),
            (2, 3, "update"),
            (3, 3, "delete")
        ]
    );
    let delete = rows.iter().find(|r| r.2 == "delete").unwrap();
    assert_eq!((delete.3, delete.4), (Some(20.0), None));
    let insert = rows.iter().find(|r| r.2 == "insert").unwrap();
    assert_eq!((insert.3, insert.4), (None, Some(40.0)));
    assert_eq!(int(&mut c, "SELECT hist_seq_nextval()"), 2);
}

/// HR's own routines from the corpus (when present): the job history trigger and procedure,
/// and the office-hours procedure.
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
    let Some((mut c, _g)) = setup(
        "my_hr_corpus",
        &[
            ("hr_cre.sql", read("hr_cre.sql")),
            ("hr_popul.sql", read("hr_popul.sql")),
            ("hr_code.sql", read("hr_code.sql")),
        ],
    ) else {
        return;
    };
    let before = int(&mut c, "SELECT count(*) FROM job_history");
    c.query_drop("UPDATE employees SET job_id = 'IT_PROG' WHERE employee_id = 206")
        .unwrap();
    assert_eq!(int(&mut c, "SELECT count(*) FROM job_history"), before + 1);
    assert_eq!(
        text(
            &mut c,
            "SELECT job_id FROM job_history WHERE employee_id = 206 \
               AND CAST(end_date AS DATE) = CURRENT_DATE"
        )
        .as_deref(),
        Some("AC_ACCOUNT")
    );
    // secure_dml raises ORA-20205 outside office hours (08:00-18:00, Monday to Friday).
    let closed = int(
        &mut c,
        "SELECT DATE_FORMAT(NOW(), '%H:%i') NOT BETWEEN '08:00' AND '18:00' \
             OR DAYOFWEEK(NOW()) IN (1, 7)",
    ) == 1;
    match c.query_drop("CALL secure_dml()") {
        Ok(()) => assert!(!closed, "secure_dml must raise outside office hours"),
        Err(mysql::Error::MySqlError(e)) => {
            assert!(closed, "secure_dml raised during office hours: {e:?}");
            assert_eq!((e.state.as_str(), e.code), ("P2205", 20205));
            assert_eq!(
                e.message,
                "You may only make changes during normal office hours"
            );
        }
        Err(e) => panic!("{e}"),
    }
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
    let Some((mut c, _g)) = setup("my_dynamic", &[("dynamic.sql", DYNAMIC.into())]) else {
        return;
    };
    c.query_drop("CALL dyn_setup()").unwrap();
    assert_eq!(
        text(
            &mut c,
            "SELECT data_type FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = 'dyn_item' AND column_name = 'name'"
        )
        .as_deref(),
        Some("varchar")
    );
    // The foreign key of the second statement holds.
    c.query_drop("INSERT INTO dyn_item VALUES (1, 'a', NULL)")
        .unwrap();
    let (_, code, _) = error_of(&mut c, "INSERT INTO dyn_item VALUES (2, 'b', 99)");
    assert_eq!(code, 1452);
    c.query_drop("CALL dyn_add(1, 'hello')").unwrap();
    c.query_drop("CALL dyn_add(2, NULL)").unwrap();
    c.query_drop("CALL dyn_add(3, 'xy')").unwrap();
    let rows: Vec<(i64, String)> = c.query("SELECT id, msg FROM dyn_log ORDER BY id").unwrap();
    assert_eq!(
        rows,
        vec![
            (1, "HEL".to_string()),
            (2, "NON".to_string()),
            (3, "XY".to_string())
        ]
    );
    c.query_drop("CALL dyn_count(2, @n, @f)").unwrap();
    assert_eq!(int(&mut c, "SELECT @n"), 2);
    assert_eq!(text(&mut c, "SELECT @f").as_deref(), Some("NON"));
    c.query_drop("CALL dyn_msg(1, @m)").unwrap();
    assert_eq!(text(&mut c, "SELECT @m").as_deref(), Some("HEL"));
    c.query_drop("CALL dyn_msg(9, @m)").unwrap();
    assert_eq!(text(&mut c, "SELECT @m").as_deref(), Some("missing"));
    // No row: NO_DATA_FOUND reaches the caller, as in Oracle (MySQL itself only warns).
    let (state, _, msg) = error_of(&mut c, "CALL dyn_count(7, @n, @f)");
    assert_eq!((state.as_str(), msg.as_str()), ("P0002", "no data found"));
}

/// The rows of `stock` as `item:qty:note`, in item order.
fn stock_rows(c: &mut Conn) -> String {
    text(
        c,
        "SELECT coalesce(group_concat(concat(item, ':', qty, ':', coalesce(note, '-')) \
         ORDER BY item SEPARATOR ' '), '') FROM stock",
    )
    .unwrap_or_default()
}

#[test]
fn merge_update_delete_insert() {
    let Some((mut c, _g)) = setup(
        "my_merge",
        &[("merge.sql", common::ORACLE_MERGE.to_string())],
    ) else {
        return;
    };
    c.query_drop(
        "INSERT INTO stock VALUES (1, 10, 'a'), (2, 5, 'b'), (3, 0, 'c'); \
         INSERT INTO moves VALUES (1, 5), (2, -5), (4, 7), (5, 0), (6, -1)",
    )
    .unwrap();
    c.query_drop("CALL restock()").unwrap();
    // 1 and 2 updated; 4 inserted; 5 and 6 fail the INSERT's WHERE.
    assert_eq!(stock_rows(&mut c), "1:15:a 2:0:b 3:0:c 4:7:-");
    c.query_drop("DELETE FROM moves").unwrap();
    c.query_drop("INSERT INTO moves VALUES (1, 15), (4, 2), (2, 0)")
        .unwrap();
    c.query_drop("CALL consume()").unwrap();
    // 1 reaches zero and is deleted; 4 is updated; 2 is zero but not updated (the UPDATE's
    // WHERE is false for it), so it stays, as 3 does (no move).
    assert_eq!(stock_rows(&mut c), "2:0:b 3:0:c 4:5:-");
    // SQL%ROWCOUNT after the MERGE: the rows of its UPDATE and its INSERT together.
    c.query_drop("CALL put_stock(2, 9, 'x', @n)").unwrap();
    assert_eq!(int(&mut c, "SELECT @n"), 1);
    c.query_drop("CALL put_stock(8, 1, 'new', @n)").unwrap();
    assert_eq!(int(&mut c, "SELECT @n"), 1);
    assert_eq!(stock_rows(&mut c), "2:9:x 3:0:c 4:5:- 8:1:new");
}
