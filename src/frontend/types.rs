//! Data type syntax shared by the front ends: `NUMBER(10,2)`, `VARCHAR2(20 CHAR)`,
//! `TIMESTAMP(6) WITH LOCAL TIME ZONE`, `INTERVAL DAY(2) TO SECOND(6)`, `LONG RAW`,
//! `DOUBLE PRECISION`, `t.col%TYPE`, `NVARCHAR(MAX)`.

use super::lexer::Tok;
use super::parser::{PResult, Parser};
use crate::ir::SourceType;

impl<'a> Parser<'a> {
    pub fn data_type(&mut self) -> PResult<SourceType> {
        let start = self.offset();
        if !self.at_ident() {
            return Err(self.error("expected a data type"));
        }
        let first = self.ident()?;
        let mut name = if first.quoted {
            first.value.clone()
        } else {
            first.value.to_uppercase()
        };
        let mut args: Vec<Option<i64>> = Vec::new();
        let mut modifier = None;

        // Qualified user type or anchored type: a.b, a.b%TYPE, a%ROWTYPE.
        while self.at(Tok::Dot) && self.nth_kind(1).is_some_and(|k| k != Tok::Number) {
            self.bump();
            let part = self.ident()?;
            name.push('.');
            name.push_str(&part.value.to_uppercase());
        }
        if self.at(Tok::Percent) && (self.nth_kw(1, "TYPE") || self.nth_kw(1, "ROWTYPE")) {
            self.bump();
            let k = self.ident()?;
            name.push('%');
            name.push_str(&k.value.to_uppercase());
            return Ok(SourceType {
                name,
                args,
                modifier,
                span: self.span_from(start),
            });
        }

        // Multi-word type names.
        match name.as_str() {
            "LONG" if self.at_kw("RAW") => {
                self.bump();
                name = "LONG RAW".into();
            }
            "DOUBLE" if self.at_kw("PRECISION") => {
                self.bump();
                name = "DOUBLE PRECISION".into();
            }
            "CHARACTER" | "CHAR" | "NATIONAL" if self.at_kw("VARYING") => {
                self.bump();
                name = format!("{name} VARYING");
            }
            "NATIONAL" if self.at_kw("CHARACTER") || self.at_kw("CHAR") => {
                self.bump();
                name = "NCHAR".into();
                if self.eat_kw("VARYING") {
                    name = "NVARCHAR2".into();
                }
            }
            "UNSIGNED" if self.at_ident() => {
                let t = self.ident()?;
                name = format!("UNSIGNED {}", t.value.to_uppercase());
            }
            _ => {}
        }

        if name == "INTERVAL" {
            // INTERVAL YEAR [(p)] TO MONTH | INTERVAL DAY [(p)] TO SECOND [(s)]
            let unit1 = self.ident()?.value.to_uppercase();
            args.push(self.opt_paren_int()?);
            self.expect_kw("TO")?;
            let unit2 = self.ident()?.value.to_uppercase();
            if self.at(Tok::LParen) {
                args.push(self.opt_paren_int()?);
            }
            name = format!("INTERVAL {unit1} TO {unit2}");
            return Ok(SourceType {
                name,
                args,
                modifier,
                span: self.span_from(start),
            });
        }

        if self.eat(Tok::LParen) {
            loop {
                if self.eat(Tok::Star) {
                    args.push(None);
                } else if self.at_kw("MAX") {
                    self.bump();
                    modifier = Some("MAX".to_string());
                } else {
                    let v = self.integer()?;
                    args.push(Some(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64));
                }
                if self.at_kw("BYTE") || self.at_kw("CHAR") {
                    modifier = Some(self.peek_text().to_uppercase());
                    self.bump();
                }
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
            self.expect(Tok::RParen, "`)`")?;
        }

        if matches!(name.as_str(), "TIMESTAMP" | "TIME") {
            if self.eat_kws(&["WITH", "LOCAL", "TIME", "ZONE"]) {
                name.push_str(" WITH LOCAL TIME ZONE");
            } else if self.eat_kws(&["WITH", "TIME", "ZONE"]) {
                name.push_str(" WITH TIME ZONE");
            } else if self.eat_kws(&["WITHOUT", "TIME", "ZONE"]) {
                // the default
            }
        }
        // Character set clauses: `CHARACTER SET ...` / T-SQL `COLLATE x` are not part of the type.
        Ok(SourceType {
            name,
            args,
            modifier,
            span: self.span_from(start),
        })
    }

    fn opt_paren_int(&mut self) -> PResult<Option<i64>> {
        if self.eat(Tok::LParen) {
            let v = self.integer()?;
            self.expect(Tok::RParen, "`)`")?;
            Ok(Some(v as i64))
        } else {
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::frontend::parser::{Dialect, Parser};
    use crate::source::FileId;

    fn ty(s: &str) -> (String, Vec<Option<i64>>, Option<String>) {
        let mut p = Parser::new(s, FileId(0), 0, Dialect::Oracle);
        let t = p.data_type().unwrap();
        assert!(p.at_end(), "left over in {s}");
        (t.name, t.args, t.modifier)
    }

    #[test]
    fn types() {
        assert_eq!(
            ty("number(10, 2)"),
            ("NUMBER".into(), vec![Some(10), Some(2)], None)
        );
        assert_eq!(
            ty("NUMBER(*,0)"),
            ("NUMBER".into(), vec![None, Some(0)], None)
        );
        assert_eq!(
            ty("varchar2(20 char)"),
            ("VARCHAR2".into(), vec![Some(20)], Some("CHAR".into()))
        );
        assert_eq!(
            ty("timestamp(3) with local time zone").0,
            "TIMESTAMP WITH LOCAL TIME ZONE"
        );
        assert_eq!(
            ty("interval day(2) to second(6)"),
            (
                "INTERVAL DAY TO SECOND".into(),
                vec![Some(2), Some(6)],
                None
            )
        );
        assert_eq!(ty("interval year to month").0, "INTERVAL YEAR TO MONTH");
        assert_eq!(ty("long raw").0, "LONG RAW");
        assert_eq!(ty("emp.sal%type").0, "EMP.SAL%TYPE");
        assert_eq!(ty("mdsys.sdo_geometry").0, "MDSYS.SDO_GEOMETRY");
    }
}
