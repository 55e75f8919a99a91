//! Compiles a segment to ONE boolean SQL expression over `customers c` plus its bound values.
//! Column names come from the field whitelist; every value (and every custom field name) is a `?`.
//! Text compares case-insensitively with ASCII folding (SQLite's NOCASE / lower()); `email` compares
//! its stored lower-case form. The expression never yields NULL, so NOT and `none` are exact.

use serde_json::Value;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::sqlite::SqliteArguments;
use sqlx::Sqlite;

use crate::definition::{Condition, Operand, Segment};
use crate::field::{Field, Kind, Op};
use crate::parse::days_ago;

/// A compiled segment: `where_sql` is a boolean expression over the alias `c` (`customers c`);
/// `binds` are its values, in the order of the `?` placeholders (JSON strings and integers).
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub where_sql: String,
    pub binds: Vec<Value>,
}

/// Compiles `segment`, with `now` (ms) as the reference for `within_days` / `not_within_days`.
pub fn compile(segment: &Segment, now: i64) -> Compiled {
    let mut b = Builder { sql: String::new(), binds: Vec::new(), now };
    b.node(segment);
    Compiled { where_sql: b.sql, binds: b.binds }
}

/// Like [`compile`], restricted to one store: `c.store_pk = ? AND (...)`, the store's key first.
pub fn compile_for_store(store_pk: i64, segment: &Segment, now: i64) -> Compiled {
    let inner = compile(segment, now);
    let mut binds = Vec::with_capacity(inner.binds.len() + 1);
    binds.push(Value::from(store_pk));
    binds.extend(inner.binds);
    Compiled { where_sql: format!("c.store_pk = ? AND ({})", inner.where_sql), binds }
}

macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for v in $binds {
            q = match v {
                Value::String(s) => q.bind(s.clone()),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => q.bind(i),
                    None => q.bind(n.as_f64()),
                },
                Value::Bool(b) => q.bind(*b),
                Value::Null => q.bind(Option::<i64>::None),
                other => q.bind(other.to_string()),
            };
        }
        q
    }};
}

impl Compiled {
    /// Binds the values, in order, onto a query whose SQL contains `where_sql` at this point.
    pub fn bind<'q>(&self, q: Query<'q, Sqlite, SqliteArguments<'q>>) -> Query<'q, Sqlite, SqliteArguments<'q>> {
        bind_all!(q, &self.binds)
    }

    /// [`Compiled::bind`] for `sqlx::query_as`.
    pub fn bind_as<'q, O>(
        &self,
        q: QueryAs<'q, Sqlite, O, SqliteArguments<'q>>,
    ) -> QueryAs<'q, Sqlite, O, SqliteArguments<'q>> {
        bind_all!(q, &self.binds)
    }

    /// [`Compiled::bind`] for `sqlx::query_scalar`.
    pub fn bind_scalar<'q, O>(
        &self,
        q: QueryScalar<'q, Sqlite, O, SqliteArguments<'q>>,
    ) -> QueryScalar<'q, Sqlite, O, SqliteArguments<'q>> {
        bind_all!(q, &self.binds)
    }
}

struct Builder {
    sql: String,
    binds: Vec<Value>,
    now: i64,
}

/// The contact's tags whose normalized name is one of the bound names. Correlated, so its cost is
/// a primary-key range per contact that reaches it (conditions on columns are tested first).
const TAGGED: &str =
    "FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = c.id AND t.name_norm IN ";

/// How costly a node is to test per contact: columns (0), custom JSON (1), subqueries (2).
/// Members of a group are tested cheapest first; AND and OR short-circuit in SQLite.
fn cost(segment: &Segment) -> u8 {
    match segment {
        Segment::All(m) | Segment::Any(m) | Segment::None(m) => m.iter().map(cost).max().unwrap_or(0),
        Segment::Condition(c) => match c.field {
            Field::Tags | Field::HasAccount => 2,
            Field::Custom(_) => 1,
            _ => 0,
        },
    }
}

impl Builder {
    fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    fn bind(&mut self, value: impl Into<Value>) {
        self.sql.push('?');
        self.binds.push(value.into());
    }

    fn bind_list<T: Into<Value> + Clone>(&mut self, values: &[T]) {
        self.push("(");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v.clone());
        }
        self.push(")");
    }

    fn node(&mut self, segment: &Segment) {
        match segment {
            Segment::All(members) => self.group(members, " AND ", "1"),
            Segment::Any(members) => self.group(members, " OR ", "0"),
            Segment::None(members) => {
                self.push("NOT ");
                self.group(members, " OR ", "0");
            }
            Segment::Condition(c) => {
                self.push("(");
                self.condition(c);
                self.push(")");
            }
        }
    }

    fn group(&mut self, members: &[Segment], joiner: &str, empty: &str) {
        if members.is_empty() {
            return self.push(empty);
        }
        let mut ordered: Vec<&Segment> = members.iter().collect();
        ordered.sort_by_key(|m| cost(m));
        self.push("(");
        for (i, m) in ordered.into_iter().enumerate() {
            if i > 0 {
                self.push(joiner);
            }
            self.node(m);
        }
        self.push(")");
    }

    fn condition(&mut self, c: &Condition) {
        match c.field.kind() {
            Kind::Text => self.text(&c.field, c.op, &c.value),
            Kind::Number => self.number(&c.field, c.op, &c.value),
            Kind::Boolean => self.boolean(&c.field, c.op, &c.value),
            Kind::Date => self.date(&c.field, c.op, &c.value),
            Kind::Tags => self.tags(c.op, &c.value),
        }
    }

    /// The field's text, never NULL. Custom fields read the JSON object with the key bound.
    fn text_expr(&mut self, field: &Field) {
        match field {
            Field::Custom(name) if name.contains('"') || name.contains('\\') => {
                // A JSON path cannot quote these characters: look the key up as a plain value.
                self.push("CAST(IFNULL((SELECT j.value FROM json_each(c.custom) j WHERE j.key = ");
                self.bind(name.clone());
                self.push(" LIMIT 1), '') AS TEXT)");
            }
            Field::Custom(name) => {
                self.push("CAST(IFNULL(json_extract(c.custom, ");
                self.bind(format!("$.\"{name}\""));
                self.push("), '') AS TEXT)");
            }
            other => self.push(other.column().expect("text fields other than custom have a column")),
        }
    }

    fn text(&mut self, field: &Field, op: Op, value: &Operand) {
        // `email` is stored lower-cased (Unicode) in email_norm; `type` and `status` hold lower-case
        // keywords (CHECK constraints), so both compare with plain `=` and can use their indexes.
        let exact = matches!(field, Field::Email | Field::Type | Field::Status);
        let fold = |s: &str| -> String {
            match field {
                Field::Email => s.to_lowercase(),
                _ => s.to_ascii_lowercase(),
            }
        };
        let eq_fold = |s: &str| -> String {
            match field {
                Field::Email => fanbase_core::text::normalize_email(s),
                _ => s.to_ascii_lowercase(),
            }
        };
        let collate = if exact { "" } else { " COLLATE NOCASE" };
        let lowered = |b: &mut Builder| {
            if *field == Field::Email {
                b.text_expr(field);
            } else {
                b.push("lower(");
                b.text_expr(field);
                b.push(")");
            }
        };
        match (op, value) {
            (Op::Eq | Op::Neq, Operand::Text(s)) => {
                self.text_expr(field);
                self.push(collate);
                self.push(if op == Op::Eq { " = " } else { " <> " });
                self.bind(if exact { eq_fold(s) } else { s.clone() });
            }
            (Op::In | Op::NotIn, Operand::Texts(list)) => {
                self.text_expr(field);
                self.push(collate);
                self.push(if op == Op::In { " IN " } else { " NOT IN " });
                let values: Vec<String> = list.iter().map(|s| if exact { eq_fold(s) } else { s.clone() }).collect();
                self.bind_list(&values);
            }
            (Op::Contains | Op::NotContains, Operand::Text(s)) => {
                self.push("instr(");
                lowered(self);
                self.push(", ");
                self.bind(fold(s));
                self.push(if op == Op::Contains { ") > 0" } else { ") = 0" });
            }
            (Op::StartsWith, Operand::Text(s)) => {
                self.push("instr(");
                lowered(self);
                self.push(", ");
                self.bind(fold(s));
                self.push(") = 1");
            }
            (Op::EndsWith, Operand::Text(s)) => {
                let folded = fold(s);
                self.push("substr(");
                lowered(self);
                self.push(", ");
                self.bind(-(folded.chars().count() as i64));
                self.push(") = ");
                self.bind(folded);
            }
            (Op::IsEmpty, _) => {
                self.text_expr(field);
                self.push(" = ''");
            }
            (Op::IsNotEmpty, _) => {
                self.text_expr(field);
                self.push(" <> ''");
            }
            _ => unreachable!("validation admits only text operators with text values here"),
        }
    }

    fn number(&mut self, field: &Field, op: Op, value: &Operand) {
        let col = field.column().expect("number fields have a column");
        self.push(col);
        match (op, value) {
            (Op::Between, Operand::Range(low, high)) => {
                self.push(" BETWEEN ");
                self.bind(*low);
                self.push(" AND ");
                self.bind(*high);
            }
            (Op::In, Operand::Ints(list)) => {
                self.push(" IN ");
                self.bind_list(list);
            }
            (Op::NotIn, Operand::Ints(list)) => {
                self.push(" NOT IN ");
                self.bind_list(list);
            }
            (op, Operand::Int(n)) => {
                self.push(match op {
                    Op::Eq => " = ",
                    Op::Neq => " <> ",
                    Op::Gt => " > ",
                    Op::Gte => " >= ",
                    Op::Lt => " < ",
                    Op::Lte => " <= ",
                    _ => unreachable!("validation admits only number operators here"),
                });
                self.bind(*n);
            }
            _ => unreachable!("validation admits only number operators with number values here"),
        }
    }

    fn boolean(&mut self, field: &Field, op: Op, value: &Operand) {
        let Operand::Bool(b) = value else { unreachable!("validation admits only booleans here") };
        let wanted = *b == (op == Op::Eq);
        match field {
            Field::HasAccount => {
                self.push(if wanted { "EXISTS" } else { "NOT EXISTS" });
                self.push(" (SELECT 1 FROM users u WHERE u.email_norm = c.email_norm)");
            }
            other => {
                self.push(other.column().expect("boolean fields other than has_account have a column"));
                self.push(" = ");
                self.bind(i64::from(wanted));
            }
        }
    }

    /// Dates are ms since the epoch; 0 means "never" (not set) and matches no date comparison.
    fn date(&mut self, field: &Field, op: Op, value: &Operand) {
        let col = field.column().expect("date fields have a column");
        let set = format!("{col} <> 0 AND {col}");
        match (op, value) {
            (Op::IsEmpty, _) => self.push(&format!("{col} = 0")),
            (Op::IsNotEmpty, _) => self.push(&format!("{col} <> 0")),
            (Op::Before, Operand::Int(t)) => {
                self.push(&format!("{set} < "));
                self.bind(*t);
            }
            (Op::After, Operand::Int(t)) => {
                self.push(&format!("{set} > "));
                self.bind(*t);
            }
            (Op::Between, Operand::Range(from, to)) => {
                self.push(&format!("{set} BETWEEN "));
                self.bind(*from);
                self.push(" AND ");
                self.bind(*to);
            }
            (Op::WithinDays, Operand::Int(days)) => {
                self.push(&format!("{set} >= "));
                self.bind(days_ago(self.now, *days));
            }
            (Op::NotWithinDays, Operand::Int(days)) => {
                self.push(&format!("NOT ({set} >= "));
                self.bind(days_ago(self.now, *days));
                self.push(")");
            }
            _ => unreachable!("validation admits only date operators with date values here"),
        }
    }

    fn tags(&mut self, op: Op, value: &Operand) {
        let names = || -> Vec<String> {
            let Operand::Texts(list) = value else { unreachable!("validation admits only tag lists here") };
            let mut names: Vec<String> = list.iter().map(|t| fanbase_core::text::normalize_tag(t)).collect();
            names.sort();
            names.dedup();
            names
        };
        match op {
            Op::IsEmpty => self.push("NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id)"),
            Op::IsNotEmpty => self.push("EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id)"),
            Op::HasAny | Op::HasNone => {
                let names = names();
                self.push(if op == Op::HasAny { "EXISTS (SELECT 1 " } else { "NOT EXISTS (SELECT 1 " });
                self.push(TAGGED);
                self.bind_list(&names);
                self.push(")");
            }
            Op::HasAll => {
                let names = names();
                self.push("(SELECT COUNT(DISTINCT t.name_norm) ");
                self.push(TAGGED);
                self.bind_list(&names);
                self.push(") = ");
                self.bind(names.len() as i64);
            }
            _ => unreachable!("validation admits only tag operators here"),
        }
    }
}
