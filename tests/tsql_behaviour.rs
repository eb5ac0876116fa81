//! Behaviour of converted T-SQL and ASE routines on the real server: procedures, functions and
//! triggers written the way pubs, Northwind and AdventureWorks write them (a job-level check
//! trigger, order totals kept by a multi-event trigger with UPDATE ... FROM, a transfer with
//! RETURN status and OUTPUT parameters, TRY/CATCH with error logging through ERROR_MESSAGE()
//! in a called procedure, a cursor loop, result sets, a recursive CTE, temporary tables, table
//! variables, TOP, dynamic SQL, ASE raiserror and SET ROWCOUNT). Each test converts source,
//! applies every script to a fresh database, runs statements and checks what SQL Server / ASE
//! would give (rows, SQLSTATE and message of errors). When `../shared/corpus` holds pubs, its
//! own `byroyalty` and `employee_insupd` are run too.

mod common;

use postgres::Client;
use schemac::diag::Severity;
use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

/// Converts source, checks that no code object needs a person (except the codes allowed),
/// applies every script.
fn setup(test: &str, from: SourceDialect, src: &str, allowed: &[&str]) -> Option<Client> {
    let conninfo = common::pg_conninfo(test)?;
    let mut map = SourceMap::default();
    map.add_text(format!("{test}.sql"), src.to_string());
    let out = schemac::convert(map, &Options::new(from, Target::Postgres));
    for o in &out.module.objects {
        if o.kind.is_code() {
            let bad: Vec<String> = o
                .findings
                .iter()
                .filter(|f| f.severity >= Severity::Manual && !allowed.contains(&f.code.code))
                .map(|f| format!("{} {}", f.code.code, f.message))
                .collect();
            assert!(bad.is_empty(), "{}: {bad:?}", o.display_name());
            assert!(!o.commented_out, "{} commented out", o.display_name());
        }
    }
    let mut client = common::fresh_db(&conninfo, &format!("tsql_{test}"));
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

fn int(client: &mut Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).expect(sql).get(0)
}

fn text(client: &mut Client, sql: &str) -> Option<String> {
    client.query_one(sql, &[]).expect(sql).get(0)
}

/// Rows of the result set a procedure returns in its refcursor parameter, as text.
fn result_set(client: &mut Client, call: &str) -> Vec<Vec<Option<String>>> {
    client.batch_execute("BEGIN").unwrap();
    client.batch_execute(call).expect(call);
    let msgs = client.simple_query("FETCH ALL FROM rs").expect("fetch");
    client.batch_execute("COMMIT").unwrap();
    msgs.iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect()
}

const PUBS_LIKE: &str = "
CREATE TABLE jobs (
    job_id smallint IDENTITY(1,1) PRIMARY KEY,
    job_desc varchar(50) NOT NULL,
    min_lvl tinyint NOT NULL,
    max_lvl tinyint NOT NULL
)
GO
CREATE TABLE employee (
    emp_id char(9) NOT NULL PRIMARY KEY,
    fname varchar(20) NOT NULL,
    job_id smallint NOT NULL DEFAULT 1,
    job_lvl tinyint DEFAULT 10
)
GO
CREATE TABLE titleauthor (
    au_id varchar(11) NOT NULL,
    title_id varchar(6) NOT NULL,
    royaltyper int NULL
)
GO
INSERT INTO jobs (job_desc, min_lvl, max_lvl) VALUES ('New Hire - Job not specified', 10, 10)
INSERT INTO jobs (job_desc, min_lvl, max_lvl) VALUES ('Chief Executive Officer', 200, 250)
INSERT INTO jobs (job_desc, min_lvl, max_lvl) VALUES ('Editor', 25, 100)
INSERT INTO titleauthor VALUES ('172-32-1176', 'PS3333', 100)
INSERT INTO titleauthor VALUES ('213-46-8915', 'BU1032', 40)
INSERT INTO titleauthor VALUES ('238-95-7766', 'PC1035', 100)
GO
CREATE TRIGGER employee_insupd
ON employee
FOR insert, UPDATE
AS
declare @min_lvl tinyint,
   @max_lvl tinyint,
   @emp_lvl tinyint,
   @job_id smallint
select @min_lvl = min_lvl,
   @max_lvl = max_lvl,
   @emp_lvl = i.job_lvl,
   @job_id = i.job_id
from employee e, jobs j, inserted i
where e.emp_id = i.emp_id AND i.job_id = j.job_id
IF (@job_id = 1) and (@emp_lvl <> 10)
begin
   raiserror ('Job id 1 expects the default level of 10.',16,1)
   ROLLBACK TRANSACTION
end
ELSE
IF NOT (@emp_lvl BETWEEN @min_lvl AND @max_lvl)
begin
   raiserror ('The level for job_id:%d should be between %d and %d.',
      16, 1, @job_id, @min_lvl, @max_lvl)
   ROLLBACK TRANSACTION
end
GO
CREATE PROCEDURE byroyalty @percentage int
AS
select au_id from titleauthor
where titleauthor.royaltyper = @percentage
GO
";

#[test]
fn pubs_like_level_trigger() {
    let Some(mut c) = setup("pubs_trigger", SourceDialect::Tsql, PUBS_LIKE, &[]) else {
        return;
    };
    c.batch_execute("INSERT INTO employee (emp_id, fname) VALUES ('PMA42628M', 'Paolo')")
        .unwrap();
    c.batch_execute(
        "INSERT INTO employee (emp_id, fname, job_id, job_lvl) VALUES ('PSA89086M', 'Pedro', 3, 35)",
    )
    .unwrap();
    let (state, msg) = error_of(
        &mut c,
        "INSERT INTO employee (emp_id, fname, job_id, job_lvl) VALUES ('VPA30890F', 'Victoria', 1, 35)",
    );
    assert_eq!(state, "U0000");
    assert_eq!(msg, "Job id 1 expects the default level of 10.");
    let (state, msg) = error_of(
        &mut c,
        "UPDATE employee SET job_lvl = 120 WHERE emp_id = 'PSA89086M'",
    );
    assert_eq!(state, "U0000");
    assert_eq!(msg, "The level for job_id:3 should be between 25 and 100.");
    // The failed statements left nothing behind.
    assert_eq!(int(&mut c, "SELECT count(*) FROM employee"), 2);
    assert_eq!(
        int(
            &mut c,
            "SELECT job_lvl::bigint FROM employee WHERE emp_id = 'PSA89086M'"
        ),
        35
    );
}

#[test]
fn pubs_like_result_set() {
    let Some(mut c) = setup("pubs_rs", SourceDialect::Tsql, PUBS_LIKE, &[]) else {
        return;
    };
    let rows = result_set(&mut c, "CALL byroyalty(100, 'rs')");
    let mut ids: Vec<String> = rows.into_iter().map(|r| r[0].clone().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, vec!["172-32-1176", "238-95-7766"]);
    assert!(result_set(&mut c, "CALL byroyalty(55, 'rs')").is_empty());
}

const BANK: &str = "
CREATE TABLE accounts (
    id int NOT NULL PRIMARY KEY,
    owner nvarchar(50) NOT NULL,
    balance money NOT NULL DEFAULT 0
)
GO
CREATE TABLE ErrorLog (
    ErrorLogID int IDENTITY(1,1) PRIMARY KEY,
    ErrorTime datetime NOT NULL DEFAULT GETDATE(),
    ErrorNumber int NOT NULL,
    ErrorMessage nvarchar(4000) NOT NULL,
    ErrorProcedure nvarchar(126) NULL
)
GO
CREATE TABLE audit_log (msg nvarchar(200) NULL)
GO
INSERT INTO accounts VALUES (1, N'Ann', 100)
INSERT INTO accounts VALUES (2, N'Bob', 50)
GO
CREATE FUNCTION dbo.fn_fee (@amount money, @rate decimal(5,2) = 1.5)
RETURNS money
AS
BEGIN
    DECLARE @fee money
    SET @fee = @amount * @rate / 100
    IF @fee < 1
        SET @fee = 1
    RETURN @fee
END
GO
-- Like AdventureWorks' uspLogError: reads the error of the caller's CATCH block.
CREATE PROCEDURE [dbo].[uspLogError]
    @ErrorLogID [int] = 0 OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET @ErrorLogID = 0;
    BEGIN TRY
        IF ERROR_NUMBER() IS NULL
            RETURN;
        INSERT [dbo].[ErrorLog] ([ErrorNumber], [ErrorMessage], [ErrorProcedure])
        VALUES (ERROR_NUMBER(), ERROR_MESSAGE(), ERROR_PROCEDURE());
        SET @ErrorLogID = @@IDENTITY;
    END TRY
    BEGIN CATCH
        PRINT 'An error occurred in stored procedure uspLogError: ';
        RETURN -1;
    END CATCH
END;
GO
CREATE PROCEDURE dbo.transfer
    @from int,
    @to int,
    @amount money,
    @new_balance money = NULL OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @bal money
    SELECT @bal = balance FROM accounts WHERE id = @from
    IF @bal IS NULL
    BEGIN
        RAISERROR('Account %d does not exist', 16, 1, @from)
        RETURN 1
    END
    IF @bal < @amount
        THROW 51000, 'Insufficient funds', 1;
    UPDATE accounts SET balance = balance - @amount WHERE id = @from
    UPDATE accounts SET balance = balance + @amount WHERE id = @to
    IF @@ROWCOUNT = 0
        RETURN 2
    SELECT @new_balance = balance FROM accounts WHERE id = @from
    RETURN 0
END
GO
CREATE PROCEDURE dbo.safe_transfer @from int, @to int, @amount money, @rc int OUTPUT
AS
BEGIN
    DECLARE @nb money
    BEGIN TRY
        EXEC @rc = dbo.transfer @from, @to, @amount, @nb OUTPUT
        INSERT INTO audit_log (msg) VALUES ('moved to ' + CAST(@to AS varchar(10)))
    END TRY
    BEGIN CATCH
        EXECUTE dbo.uspLogError;
        SET @rc = -1
    END CATCH
END
GO
";

#[test]
fn transfer_status_and_output() {
    let Some(mut c) = setup("bank", SourceDialect::Tsql, BANK, &[]) else {
        return;
    };
    let row = c
        .query_one("CALL transfer(1, 2, 30, NULL, NULL)", &[])
        .unwrap();
    assert_eq!(row.get::<_, Option<i32>>(1), Some(0));
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(balance::text, ',' ORDER BY id) FROM accounts"
        ),
        Some("70.0000,80.0000".into())
    );
    // No such target account: the status is 2 (and T-SQL, without a transaction, keeps the
    // debit, as PostgreSQL's CALL in autocommit does).
    let row = c
        .query_one("CALL transfer(1, 9, 5, NULL, NULL)", &[])
        .unwrap();
    assert_eq!(row.get::<_, Option<i32>>(1), Some(2));
    // No such source account: RAISERROR with a formatted message.
    let (state, msg) = error_of(&mut c, "CALL transfer(7, 1, 5, NULL, NULL)");
    assert_eq!(
        (state.as_str(), msg.as_str()),
        ("U0000", "Account 7 does not exist")
    );
    let (state, msg) = error_of(&mut c, "CALL transfer(2, 1, 500, NULL, NULL)");
    assert_eq!(
        (state.as_str(), msg.as_str()),
        ("U1000", "Insufficient funds")
    );
    // A scalar function with a default argument.
    assert_eq!(
        text(&mut c, "SELECT fn_fee(1000)::text"),
        Some("15.0000".into())
    );
    assert_eq!(
        text(&mut c, "SELECT fn_fee(10, 2)::text"),
        Some("1.0000".into())
    );
}

#[test]
fn try_catch_logs_the_callers_error() {
    let Some(mut c) = setup("bank_catch", SourceDialect::Tsql, BANK, &[]) else {
        return;
    };
    // Insufficient funds: THROW 51000 in transfer, caught in safe_transfer, logged by
    // uspLogError through ERROR_NUMBER() / ERROR_MESSAGE().
    let row = c
        .query_one("CALL safe_transfer(2, 1, 500, NULL)", &[])
        .unwrap();
    assert_eq!(row.get::<_, Option<i32>>(0), Some(-1));
    let row = c
        .query_one(
            "SELECT errornumber, errormessage, errorprocedure FROM errorlog",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 51000);
    assert_eq!(row.get::<_, String>(1), "Insufficient funds");
    assert_eq!(
        row.get::<_, Option<String>>(2).as_deref(),
        Some("safe_transfer")
    );
    // The failed TRY part is rolled back; a good transfer goes through and is audited.
    assert_eq!(int(&mut c, "SELECT count(*) FROM audit_log"), 0);
    let row = c
        .query_one("CALL safe_transfer(1, 2, 10, NULL)", &[])
        .unwrap();
    assert_eq!(row.get::<_, Option<i32>>(0), Some(0));
    assert_eq!(
        text(&mut c, "SELECT msg FROM audit_log"),
        Some("moved to 2".into())
    );
    // Called outside a CATCH block with no error saved in the session, uspLogError logs
    // nothing.
    let mut c2 = setup("bank_catch2", SourceDialect::Tsql, BANK, &[]).unwrap();
    let row = c2.query_one("CALL usplogerror(NULL)", &[]).unwrap();
    assert_eq!(row.get::<_, Option<i32>>(0), Some(0));
    assert_eq!(int(&mut c2, "SELECT count(*) FROM errorlog"), 0);
}

const ORDERS: &str = "
CREATE TABLE orders (
    order_id int NOT NULL PRIMARY KEY,
    total money NOT NULL DEFAULT 0
)
GO
CREATE TABLE order_lines (
    order_id int NOT NULL,
    line_no int NOT NULL,
    qty int NOT NULL,
    price money NOT NULL,
    PRIMARY KEY (order_id, line_no)
)
GO
CREATE TABLE order_history (order_id int NOT NULL, line_no int NOT NULL, action char(1) NOT NULL)
GO
INSERT INTO orders (order_id) VALUES (1)
INSERT INTO orders (order_id) VALUES (2)
GO
CREATE TRIGGER [dbo].[order_lines_changed] ON [dbo].[order_lines]
AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    DECLARE @Count int;
    SET @Count = @@ROWCOUNT;
    IF @Count = 0
        RETURN;
    SET NOCOUNT ON;
    UPDATE orders
    SET total = ISNULL((SELECT SUM(l.qty * l.price) FROM order_lines l
                        WHERE l.order_id = orders.order_id), 0)
    FROM orders o
    INNER JOIN (SELECT order_id FROM inserted UNION SELECT order_id FROM deleted) c
        ON o.order_id = c.order_id;
    INSERT INTO order_history (order_id, line_no, action)
    SELECT d.order_id, d.line_no, 'D' FROM deleted d
    WHERE NOT EXISTS (SELECT * FROM inserted i WHERE i.order_id = d.order_id AND i.line_no = d.line_no)
END
GO
-- A cursor loop as in pre-2005 code.
CREATE PROCEDURE reprice @pct decimal(5,2), @changed int = 0 OUTPUT
AS
BEGIN
    DECLARE @o int, @l int, @price money
    DECLARE line_cur CURSOR LOCAL FAST_FORWARD FOR
        SELECT order_id, line_no, price FROM order_lines WHERE price < 100 ORDER BY order_id, line_no
    SET @changed = 0
    OPEN line_cur
    FETCH NEXT FROM line_cur INTO @o, @l, @price
    WHILE @@FETCH_STATUS = 0
    BEGIN
        UPDATE order_lines SET price = @price * (1 + @pct / 100) WHERE order_id = @o AND line_no = @l
        SET @changed = @changed + 1
        FETCH NEXT FROM line_cur INTO @o, @l, @price
    END
    CLOSE line_cur
    DEALLOCATE line_cur
END
GO
CREATE FUNCTION dbo.biggest_line (@order int)
RETURNS int
AS
BEGIN
    DECLARE @l int
    SELECT TOP 1 @l = line_no FROM order_lines WHERE order_id = @order ORDER BY qty * price DESC
    RETURN @l
END
GO
-- SELECT @v = ...: the last row wins; no row leaves the variable alone.
CREATE FUNCTION dbo.last_line_price (@order int)
RETURNS money
AS
BEGIN
    DECLARE @p money = -1
    SELECT @p = price FROM order_lines WHERE order_id = @order ORDER BY line_no
    RETURN @p
END
GO
CREATE FUNCTION dbo.lines_of (@order int)
RETURNS TABLE
AS RETURN (SELECT line_no, qty FROM order_lines WHERE order_id = @order)
GO
CREATE FUNCTION dbo.big_lines (@min money)
RETURNS @r TABLE (order_id int, line_no int, value money)
AS
BEGIN
    INSERT INTO @r SELECT order_id, line_no, qty * price FROM order_lines WHERE qty * price >= @min
    DELETE FROM @r WHERE order_id = 2
    RETURN
END
GO
CREATE PROCEDURE order_summary @min money
AS
    CREATE TABLE #big (order_id int, total money)
    INSERT INTO #big (order_id, total) SELECT order_id, total FROM orders WHERE total >= @min
    DECLARE @ids TABLE (order_id int)
    INSERT INTO @ids (order_id) SELECT order_id FROM #big
    SELECT o.order_id, o.total FROM orders o WHERE o.order_id IN (SELECT order_id FROM @ids)
    ORDER BY o.order_id
GO
";

#[test]
fn multi_event_trigger_keeps_set_semantics() {
    let Some(mut c) = setup("orders", SourceDialect::Tsql, ORDERS, &[]) else {
        return;
    };
    // One multi-row INSERT: the statement trigger sees all rows at once.
    c.batch_execute("INSERT INTO order_lines VALUES (1, 1, 2, 10), (1, 2, 1, 5), (2, 1, 3, 100)")
        .unwrap();
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(total::text, ',' ORDER BY order_id) FROM orders"
        ),
        Some("25.0000,300.0000".into())
    );
    c.batch_execute("UPDATE order_lines SET qty = qty + 1")
        .unwrap();
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(total::text, ',' ORDER BY order_id) FROM orders"
        ),
        Some("40.0000,400.0000".into())
    );
    c.batch_execute("DELETE FROM order_lines WHERE order_id = 1 AND line_no = 2")
        .unwrap();
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(total::text, ',' ORDER BY order_id) FROM orders"
        ),
        Some("30.0000,400.0000".into())
    );
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(order_id || ':' || line_no || action, ',') FROM order_history"
        ),
        Some("1:2D".into())
    );
    // A statement changing no row returns early (@@ROWCOUNT of the triggering statement).
    c.batch_execute("DELETE FROM order_lines WHERE order_id = 99")
        .unwrap();
    assert_eq!(int(&mut c, "SELECT count(*) FROM order_history"), 1);
}

#[test]
fn cursor_loop_top_temp_tables() {
    let Some(mut c) = setup("orders_cursor", SourceDialect::Tsql, ORDERS, &[]) else {
        return;
    };
    c.batch_execute("INSERT INTO order_lines VALUES (1, 1, 2, 10), (1, 2, 1, 50), (2, 1, 3, 100)")
        .unwrap();
    let row = c.query_one("CALL reprice(10, NULL)", &[]).unwrap();
    assert_eq!(row.get::<_, Option<i32>>(0), Some(2));
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(price::text, ',' ORDER BY order_id, line_no) FROM order_lines"
        ),
        Some("11.0000,55.0000,100.0000".into())
    );
    assert_eq!(
        text(&mut c, "SELECT last_line_price(1)::text"),
        Some("55.0000".into())
    );
    assert_eq!(
        text(&mut c, "SELECT last_line_price(9)::text"),
        Some("-1.0000".into())
    );
    // Table-valued functions, inline and multi-statement.
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(line_no || 'x' || qty, ',' ORDER BY line_no) FROM lines_of(1)"
        ),
        Some("1x2,2x1".into())
    );
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(order_id || '/' || line_no || '=' || value, ',' ORDER BY line_no) FROM big_lines(20)"
        ),
        Some("1/1=22.0000,1/2=55.0000".into())
    );
    // TOP 1 ... ORDER BY in a function.
    assert_eq!(int(&mut c, "SELECT biggest_line(1)::bigint"), 2);
    assert_eq!(int(&mut c, "SELECT biggest_line(2)::bigint"), 1);
    // Temporary table and table variable; the procedure runs twice in one session.
    let rows = result_set(&mut c, "CALL order_summary(100, 'rs')");
    assert_eq!(rows, vec![vec![Some("2".into()), Some("300.0000".into())]]);
    let rows = result_set(&mut c, "CALL order_summary(0, 'rs')");
    assert_eq!(rows.len(), 2);
}

const EMPLOYEES: &str = "
CREATE TABLE Employee (
    BusinessEntityID int NOT NULL PRIMARY KEY,
    ManagerID int NULL,
    FirstName nvarchar(50) NOT NULL
)
GO
INSERT INTO Employee VALUES (1, NULL, N'Ken')
INSERT INTO Employee VALUES (2, 1, N'Terri')
INSERT INTO Employee VALUES (3, 2, N'Roberto')
INSERT INTO Employee VALUES (4, 3, N'Rob')
GO
-- Like AdventureWorks' uspGetEmployeeManagers, with a manager column for hierarchyid.
CREATE PROCEDURE [dbo].[uspGetEmployeeManagers]
    @BusinessEntityID [int]
AS
BEGIN
    SET NOCOUNT ON;
    WITH [EMP_cte]([BusinessEntityID], [ManagerID], [FirstName], [RecursionLevel])
    AS (
        SELECT e.[BusinessEntityID], e.[ManagerID], e.[FirstName], 0
        FROM [dbo].[Employee] e
        WHERE e.[BusinessEntityID] = @BusinessEntityID
        UNION ALL
        SELECT e.[BusinessEntityID], e.[ManagerID], e.[FirstName], [RecursionLevel] + 1
        FROM [dbo].[Employee] e
        INNER JOIN [EMP_cte] ON e.[BusinessEntityID] = [EMP_cte].[ManagerID]
    )
    SELECT [EMP_cte].[RecursionLevel], [EMP_cte].[BusinessEntityID], [EMP_cte].[FirstName],
        m.[FirstName] AS 'ManagerFirstName'
    FROM [EMP_cte]
    INNER JOIN [dbo].[Employee] m ON [EMP_cte].[ManagerID] = m.[BusinessEntityID]
    ORDER BY [RecursionLevel]
    OPTION (MAXRECURSION 25)
END;
GO
";

#[test]
fn recursive_cte_result_set() {
    let Some(mut c) = setup("managers", SourceDialect::Tsql, EMPLOYEES, &[]) else {
        return;
    };
    let rows = result_set(&mut c, "CALL uspgetemployeemanagers(4, 'rs')");
    let got: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}:{}>{}",
                r[0].as_deref().unwrap(),
                r[2].as_deref().unwrap(),
                r[3].as_deref().unwrap()
            )
        })
        .collect();
    assert_eq!(got, vec!["0:Rob>Roberto", "1:Roberto>Terri", "2:Terri>Ken"]);
}

const ASE_TITLES: &str = "
create table titles (
    title_id varchar(6) not null primary key,
    price money null,
    ytd_sales int null
)
go
create table sales_log (title_id varchar(6) not null, qty int not null)
go
insert into titles values ('T1', 20, 100)
insert into titles values ('T2', 5, 300)
insert into titles values ('T3', 8, 200)
go
create procedure title_price @title_id varchar(6), @price money output
as
    select @price = price from titles where title_id = @title_id
    if @@rowcount = 0
    begin
        raiserror 20001 \"Title %1! not found\", @title_id
        return -1
    end
    return 0
go
create procedure top_sellers @n int
as
    set rowcount @n
    select title_id from titles order by ytd_sales desc
    set rowcount 0
go
create trigger sales_log_ins on sales_log for insert as
    if exists (select * from inserted i where not exists (select * from titles t where t.title_id = i.title_id))
    begin
        raiserror 30001 \"unknown title\"
        rollback transaction
    end
    update titles set ytd_sales = isnull(ytd_sales, 0) + i.qty
    from titles, inserted i
    where titles.title_id = i.title_id
go
create procedure purge_cheap @max money
as
    declare @sql varchar(200)
    select @sql = 'delete from titles where price < ' + convert(varchar(20), @max)
    exec (@sql)
go
";

#[test]
fn ase_status_raiserror_rowcount_trigger() {
    let Some(mut c) = setup("ase", SourceDialect::Ase, ASE_TITLES, &["PLS010"]) else {
        return;
    };
    // OUTPUT parameter and RETURN status come back as the CALL's row.
    c.batch_execute(
        "CREATE TEMP TABLE r AS SELECT 1 AS x; \
         DO $$ DECLARE p numeric; s int; BEGIN \
           CALL title_price('T2', p, s); INSERT INTO r VALUES (p::int * 10 + s); END $$",
    )
    .unwrap();
    assert_eq!(int(&mut c, "SELECT max(x)::bigint FROM r"), 50);
    let (state, msg) = error_of(&mut c, "CALL title_price('XX', NULL, NULL)");
    assert_eq!(
        (state.as_str(), msg.as_str()),
        ("R0001", "Title XX not found")
    );
    // SET ROWCOUNT n limits the SELECT that follows.
    let rows = result_set(&mut c, "CALL top_sellers(2, 'rs')");
    assert_eq!(
        rows,
        vec![vec![Some("T2".to_string())], vec![Some("T3".to_string())]]
    );
    // The trigger adds sales per title, for all rows of the statement, and rejects unknown
    // titles. (Two rows of one title in one statement would update it once, with either
    // row, on both servers: UPDATE ... FROM takes one joined row per target row.)
    c.batch_execute("INSERT INTO sales_log VALUES ('T1', 5), ('T3', 1)")
        .unwrap();
    c.batch_execute("INSERT INTO sales_log VALUES ('T1', 7)")
        .unwrap();
    assert_eq!(
        text(
            &mut c,
            "SELECT string_agg(ytd_sales::text, ',' ORDER BY title_id) FROM titles"
        ),
        Some("112,300,201".into())
    );
    let (state, msg) = error_of(&mut c, "INSERT INTO sales_log VALUES ('T1', 1), ('ZZ', 1)");
    assert_eq!((state.as_str(), msg.as_str()), ("S0001", "unknown title"));
    assert_eq!(int(&mut c, "SELECT count(*) FROM sales_log"), 3);
    // Dynamic SQL whose text is valid on both servers.
    c.batch_execute("CALL purge_cheap(10)").unwrap();
    assert_eq!(int(&mut c, "SELECT count(*) FROM titles"), 1);
}

/// pubs' own routines, when the corpus is present.
#[test]
fn pubs_corpus_routines() {
    let path = common::root().join("../shared/corpus/tsql/pubs/instpubs.sql");
    let Ok(src) = std::fs::read(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let Some(conninfo) = common::pg_conninfo("pubs_corpus") else {
        return;
    };
    let mut map = SourceMap::default();
    map.add(path.to_string_lossy().to_string(), Some(path.clone()), &src);
    let out = schemac::convert(map, &Options::new(SourceDialect::Tsql, Target::Postgres));
    let mut c = common::fresh_db(&conninfo, "tsql_pubs_corpus");
    for s in &out.scripts {
        // Applied object by object: the corpus has known failures outside this test's scope.
        let _ = c.batch_execute(&s.text);
    }
    let mut ids: Vec<String> = result_set(&mut c, "CALL byroyalty(40, 'rs')")
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect();
    ids.sort();
    // pubs' titleauthor rows with royaltyper = 40.
    assert_eq!(ids, vec!["213-46-8915", "267-41-2394", "672-71-3249"]);
    // reptq1: average price per publisher, WITH ROLLUP's total row last ('ALL').
    let rows = result_set(&mut c, "CALL reptq1('rs')");
    let pubs: Vec<String> = rows.iter().map(|r| r[0].clone().unwrap()).collect();
    assert_eq!(pubs, vec!["0736", "0877", "1389", "ALL"]);
    let (state, msg) = error_of(
        &mut c,
        "INSERT INTO employee (emp_id, fname, lname, job_id, job_lvl, pub_id) \
         VALUES ('XYZ12345M', 'Ann', 'Lee', 1, 35, '0736')",
    );
    assert_eq!(state, "U0000");
    assert_eq!(msg, "Job id 1 expects the default level of 10.");
}

/// The rows of `stock` as `item:qty:note`, in item order.
fn stock_rows(c: &mut Client) -> Option<String> {
    text(
        c,
        "SELECT string_agg(item || ':' || qty || ':' || coalesce(note, '-'), ' ' ORDER BY item) \
         FROM stock",
    )
}

#[test]
fn merge_matched_by_target_by_source() {
    let Some(mut c) = setup("merge", SourceDialect::Tsql, common::TSQL_MERGE, &[]) else {
        return;
    };
    c.batch_execute(
        "INSERT INTO stock VALUES (1, 10, NULL), (2, 5, NULL), (3, -1, NULL), (4, 3, NULL); \
         INSERT INTO moves VALUES (1, 5), (2, 0), (7, 4); CALL mergemoves()",
    )
    .unwrap();
    // 1 updated; 2 deleted (its move is 0); 3 deleted (no move, negative); 4 kept (no move,
    // not negative); 7 has no row and no INSERT clause.
    assert_eq!(stock_rows(&mut c), Some("1:15:- 4:3:-".into()));
    c.batch_execute(
        "DELETE FROM moves; INSERT INTO moves VALUES (1, 5), (1, 2), (9, 4); CALL syncstock()",
    )
    .unwrap();
    assert_eq!(
        stock_rows(&mut c),
        Some("1:7:synced 4:0:gone 9:4:new".into())
    );
}
