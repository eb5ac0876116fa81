//! Deterministic generator of large Oracle schemas for the throughput benchmark: tables with
//! many column types and constraints, sequences, indexes, partitioned tables (range, list,
//! hash), views with joins, comments, and (mix `Full`) INSERT data and PL/SQL packages, as
//! SQL*Plus scripts.

use std::fmt::Write as _;

/// One generated file.
pub struct GenFile {
    pub name: String,
    pub text: String,
}

/// Small deterministic PRNG (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const COLUMN_TYPES: &[&str] = &[
    "NUMBER(10)",
    "NUMBER(12,2)",
    "NUMBER",
    "NUMBER(1)",
    "INTEGER",
    "VARCHAR2(30 CHAR)",
    "VARCHAR2(200 BYTE)",
    "NVARCHAR2(100)",
    "CHAR(1)",
    "DATE",
    "TIMESTAMP(6)",
    "TIMESTAMP(6) WITH TIME ZONE",
    "CLOB",
    "BLOB",
    "RAW(16)",
    "BINARY_DOUBLE",
    "FLOAT(126)",
    "INTERVAL DAY(2) TO SECOND(6)",
];

/// What the generated scripts hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mix {
    /// Storage DDL only: sequences, tables (some partitioned), indexes, comments, ALTER TABLE,
    /// views. The performance goal is stated for this mix.
    Ddl,
    /// DDL plus INSERT data and PL/SQL packages, like a real schema export with its data.
    Full,
}

impl Mix {
    pub fn name(self) -> &'static str {
        match self {
            Mix::Ddl => "ddl",
            Mix::Full => "full",
        }
    }
}

/// Files are cut at about this size, like a real schema export split per object type.
const FILE_TARGET: usize = 1 << 20;

/// Generates about `bytes` of Oracle scripts.
pub fn generate(bytes: usize, mix: Mix) -> Vec<GenFile> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut files = Vec::new();
    let mut total = 0usize;
    let mut cur = String::new();
    let mut i = 0usize;
    let mut file_no = 0usize;
    while total + cur.len() < bytes {
        table_group(&mut cur, i, &mut rng, mix);
        if mix == Mix::Full && i % 25 == 24 {
            package(&mut cur, i / 25, i);
        }
        i += 1;
        if cur.len() >= FILE_TARGET {
            total += cur.len();
            files.push(GenFile {
                name: format!("schema_{file_no:03}.sql"),
                text: std::mem::take(&mut cur),
            });
            file_no += 1;
        }
    }
    if !cur.is_empty() {
        files.push(GenFile {
            name: format!("schema_{file_no:03}.sql"),
            text: cur,
        });
    }
    files
}

fn table_group(s: &mut String, i: usize, rng: &mut Rng, mix: Mix) {
    let t = format!("app.t_{i:05}");
    let _ = writeln!(s, "PROMPT creating {t}");
    let _ = writeln!(
        s,
        "CREATE SEQUENCE app.s_{i:05} START WITH 1 INCREMENT BY 1 CACHE 20 NOCYCLE;\n"
    );
    let _ = writeln!(s, "CREATE TABLE {t} (");
    let _ = writeln!(s, "  id         NUMBER(10) NOT NULL,");
    let _ = writeln!(s, "  code       VARCHAR2(30 CHAR) NOT NULL,");
    let _ = writeln!(s, "  status     CHAR(1) DEFAULT 'N' NOT NULL,");
    let _ = writeln!(s, "  created_at DATE DEFAULT SYSDATE NOT NULL,");
    let ncols = 4 + rng.below(12) as usize;
    for c in 0..ncols {
        let ty = COLUMN_TYPES[rng.below(COLUMN_TYPES.len() as u64) as usize];
        let extra = match rng.below(6) {
            0 => " NOT NULL",
            1 if ty.starts_with("NUMBER") => " DEFAULT 0",
            _ => "",
        };
        let _ = writeln!(s, "  col_{c:02}     {ty}{extra},");
    }
    if i > 0 {
        let _ = writeln!(s, "  parent_id  NUMBER(10),");
    }
    let _ = writeln!(s, "  CONSTRAINT t_{i:05}_pk PRIMARY KEY (id),");
    let _ = writeln!(s, "  CONSTRAINT t_{i:05}_uk UNIQUE (code),");
    if i > 0 {
        let _ = writeln!(
            s,
            "  CONSTRAINT t_{i:05}_fk FOREIGN KEY (parent_id) REFERENCES app.t_{:05} (id) \
             ON DELETE CASCADE,",
            i - 1
        );
    }
    let _ = write!(
        s,
        "  CONSTRAINT t_{i:05}_ck CHECK (status IN ('Y', 'N'))\n)"
    );
    match i % 10 {
        3 => {
            let _ = write!(
                s,
                "\nPARTITION BY RANGE (created_at) (\n\
                 \x20 PARTITION p2022 VALUES LESS THAN (TO_DATE('2023-01-01', 'YYYY-MM-DD')),\n\
                 \x20 PARTITION p2023 VALUES LESS THAN (TO_DATE('2024-01-01', 'YYYY-MM-DD')),\n\
                 \x20 PARTITION pmax VALUES LESS THAN (MAXVALUE)\n)"
            );
        }
        6 => {
            let _ = write!(
                s,
                "\nPARTITION BY LIST (status) (\n\
                 \x20 PARTITION p_yes VALUES ('Y'),\n\
                 \x20 PARTITION p_no VALUES ('N'),\n\
                 \x20 PARTITION p_other VALUES (DEFAULT)\n)"
            );
        }
        9 => {
            let _ = write!(s, "\nPARTITION BY HASH (id) PARTITIONS 8");
        }
        _ => {
            let _ = write!(s, "\nTABLESPACE users PCTFREE 10 LOGGING");
        }
    }
    s.push_str(";\n\n");
    let _ = writeln!(
        s,
        "CREATE INDEX app.t_{i:05}_ix1 ON {t} (created_at, status) TABLESPACE users;"
    );
    let _ = writeln!(
        s,
        "CREATE UNIQUE INDEX app.t_{i:05}_ix2 ON {t} (UPPER(code));"
    );
    if i.is_multiple_of(4) {
        let _ = writeln!(s, "CREATE BITMAP INDEX app.t_{i:05}_bx ON {t} (status);");
    }
    let _ = writeln!(
        s,
        "\nCOMMENT ON TABLE {t} IS 'Generated table number {i} (it''s synthetic)';"
    );
    let _ = writeln!(
        s,
        "COMMENT ON COLUMN {t}.code IS 'Business code of row in table {i}';"
    );
    let _ = writeln!(
        s,
        "ALTER TABLE {t} ADD CONSTRAINT t_{i:05}_ck2 CHECK (id > 0);\n"
    );
    if i > 0 {
        let _ = writeln!(
            s,
            "CREATE OR REPLACE VIEW app.v_{i:05} AS\n\
             SELECT a.id, a.code, a.status, NVL(b.code, '-') AS parent_code,\n\
             \x20      DECODE(a.status, 'Y', 'yes', 'no') AS status_text,\n\
             \x20      TRUNC(a.created_at) AS created_day\n\
             \x20 FROM {t} a\n\
             \x20 LEFT JOIN app.t_{p:05} b ON b.id = a.parent_id\n\
             \x20 JOIN app.t_{p:05} c ON c.id = a.parent_id AND c.status = 'Y'\n\
             \x20WHERE a.status = 'Y' AND ROWNUM <= 1000\n\
             WITH READ ONLY;\n",
            p = i - 1
        );
    }
    if mix == Mix::Ddl {
        return;
    }
    let rows = 10 + rng.below(30);
    for r in 1..=rows {
        let _ = writeln!(
            s,
            "INSERT INTO {t} (id, code, status, created_at) VALUES ({r}, 'C{i}-{r}', '{}', \
             TO_DATE('2023-{:02}-{:02}', 'YYYY-MM-DD'));",
            if r % 3 == 0 { "N" } else { "Y" },
            1 + r % 12,
            1 + r % 28
        );
    }
    s.push_str("COMMIT;\n\n");
}

fn package(s: &mut String, k: usize, i: usize) {
    let t = format!("app.t_{i:05}");
    let _ = writeln!(
        s,
        "CREATE OR REPLACE PACKAGE app.pkg_{k:04} AS\n\
         \x20 g_count PLS_INTEGER := 0;\n\
         \x20 e_not_found EXCEPTION;\n\
         \x20 PROCEDURE add_row (p_code IN VARCHAR2, p_status IN CHAR DEFAULT 'Y');\n\
         \x20 FUNCTION count_rows (p_status IN CHAR) RETURN NUMBER;\n\
         \x20 PROCEDURE purge (p_before IN DATE);\n\
         END pkg_{k:04};\n/\n"
    );
    let _ = writeln!(
        s,
        "CREATE OR REPLACE PACKAGE BODY app.pkg_{k:04} AS\n\
         \x20 PROCEDURE add_row (p_code IN VARCHAR2, p_status IN CHAR DEFAULT 'Y') IS\n\
         \x20   v_id {t}.id%TYPE;\n\
         \x20 BEGIN\n\
         \x20   SELECT app.s_{i:05}.NEXTVAL INTO v_id FROM dual;\n\
         \x20   INSERT INTO {t} (id, code, status) VALUES (v_id, p_code, p_status);\n\
         \x20   g_count := g_count + 1;\n\
         \x20 EXCEPTION\n\
         \x20   WHEN DUP_VAL_ON_INDEX THEN\n\
         \x20     RAISE_APPLICATION_ERROR(-20001, 'duplicate code ' || p_code);\n\
         \x20 END add_row;\n\n\
         \x20 FUNCTION count_rows (p_status IN CHAR) RETURN NUMBER IS\n\
         \x20   v_n NUMBER := 0;\n\
         \x20   CURSOR c_rows IS SELECT id, code FROM {t} WHERE status = p_status;\n\
         \x20 BEGIN\n\
         \x20   FOR r IN c_rows LOOP\n\
         \x20     IF r.code IS NOT NULL THEN\n\
         \x20       v_n := v_n + 1;\n\
         \x20     ELSIF r.id < 0 THEN\n\
         \x20       RAISE e_not_found;\n\
         \x20     END IF;\n\
         \x20   END LOOP;\n\
         \x20   RETURN v_n;\n\
         \x20 EXCEPTION\n\
         \x20   WHEN e_not_found THEN\n\
         \x20     DBMS_OUTPUT.PUT_LINE('bad row: ' || SQLERRM);\n\
         \x20     RETURN -1;\n\
         \x20 END count_rows;\n\n\
         \x20 PROCEDURE purge (p_before IN DATE) IS\n\
         \x20 BEGIN\n\
         \x20   DELETE FROM {t} WHERE created_at < p_before;\n\
         \x20   IF SQL%ROWCOUNT > 0 THEN\n\
         \x20     COMMIT;\n\
         \x20   END IF;\n\
         \x20 END purge;\n\
         END pkg_{k:04};\n/\n"
    );
}
