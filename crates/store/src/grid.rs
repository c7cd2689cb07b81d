//! The SQL side of grid queries: typed conditions, sorts and pages rendered to SQL text with
//! numbered placeholders and a list of values to bind, the same on both engines.
//!
//! Nothing a client sends ever becomes SQL text: column expressions come only from the
//! [`Column`] constants a store module declares, and every value is a bound parameter
//! ([`Value`], bound with [`bind_values!`](crate::bind_values)). The API decides which wire field
//! maps to which column and checks each condition against the column's type before it gets here.
//!
//! Where the engines differ, the builder makes them agree:
//! - decimals are TEXT on SQLite: they are compared and sorted as `CAST(x AS REAL)` there (money
//!   has at most 6 decimals, well inside a double's precision for ordering);
//! - text compares and sorts by code point on both (`COLLATE "C"` on PostgreSQL, SQLite's BINARY);
//! - case-sensitive `contains`/`startswith`/`endswith` are `LIKE` on PostgreSQL and `GLOB` on
//!   SQLite (whose LIKE ignores ASCII case); with `ignore_case` both use `LOWER(x) LIKE LOWER($n)`
//!   (SQLite's `LOWER` folds ASCII letters only);
//! - NULLs sort last ascending and first descending on both (PostgreSQL's order; SQLite's is the
//!   opposite), and the negative operators (`neq`, `doesnotcontain`, `nin`) keep NULL values.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::{Amount, Engine};

/// What a column holds, which decides the operators, the value's type and the SQL around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    Decimal,
    Date,
    Timestamp,
    Bool,
    Uuid,
}

/// A SQL expression a grid may filter and sort on: a column or an expression over the query's
/// tables, per engine (they differ where JSON or date arithmetic is involved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub postgres: &'static str,
    pub sqlite: &'static str,
    pub ty: ColumnType,
    /// Whether the expression can be NULL.
    pub nullable: bool,
}

impl Column {
    /// The same expression on both engines.
    pub const fn new(sql: &'static str, ty: ColumnType) -> Column {
        Column {
            postgres: sql,
            sqlite: sql,
            ty,
            nullable: false,
        }
    }

    pub const fn per_engine(
        postgres: &'static str,
        sqlite: &'static str,
        ty: ColumnType,
    ) -> Column {
        Column {
            postgres,
            sqlite,
            ty,
            nullable: false,
        }
    }

    pub const fn nullable(self) -> Column {
        Column {
            nullable: true,
            ..self
        }
    }

    pub fn sql(&self, engine: Engine) -> &'static str {
        match engine {
            Engine::Postgres => self.postgres,
            Engine::Sqlite => self.sqlite,
        }
    }
}

/// A value to bind, typed like the column it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Integer(i64),
    Decimal(Amount),
    Date(NaiveDate),
    Timestamp(DateTime<Utc>),
    Bool(bool),
    Uuid(Uuid),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Comparison {
    fn sql(self) -> &'static str {
        match self {
            Comparison::Eq => "=",
            Comparison::Neq => "<>",
            Comparison::Lt => "<",
            Comparison::Lte => "<=",
            Comparison::Gt => ">",
            Comparison::Gte => ">=",
        }
    }
}

/// Where a text must contain the needle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Contains,
    StartsWith,
    EndsWith,
}

/// A checked filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Compare {
        column: Column,
        op: Comparison,
        value: Value,
        ignore_case: bool,
    },
    Like {
        column: Column,
        kind: Match,
        needle: String,
        ignore_case: bool,
        negated: bool,
    },
    /// `IS NULL` (`IS NOT NULL` when negated).
    Null {
        column: Column,
        negated: bool,
    },
    /// NULL or the empty text (neither, when negated).
    Empty {
        column: Column,
        negated: bool,
    },
    In {
        column: Column,
        values: Vec<Value>,
        ignore_case: bool,
        negated: bool,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
}

/// One key of an ORDER BY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

/// A checked grid query: which rows and in which order (the page is the caller's).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GridQuery {
    pub filter: Option<Condition>,
    /// The client's order; each store function appends its own unique key so pages are stable.
    pub sort: Vec<Sort>,
}

/// SQL text being built, with the values its placeholders stand for (`$1` is the first).
#[derive(Debug, Clone)]
pub struct Sql {
    engine: Engine,
    text: String,
    binds: Vec<Value>,
}

impl Sql {
    pub fn new(engine: Engine) -> Sql {
        Sql {
            engine,
            text: String::with_capacity(512),
            binds: Vec::new(),
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn binds(&self) -> &[Value] {
        &self.binds
    }

    /// Appends trusted SQL text (never a client's).
    pub fn push(&mut self, sql: &str) -> &mut Sql {
        self.text.push_str(sql);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: Value) -> &mut Sql {
        self.binds.push(value);
        self.text.push('$');
        self.text.push_str(&self.binds.len().to_string());
        self
    }

    /// Appends a column's expression as a SELECT item, in a type both engines decode alike.
    pub fn select(&mut self, column: &Column) -> &mut Sql {
        let expr = column.sql(self.engine);
        match column.ty {
            ColumnType::Integer => self.push(&format!("CAST(({expr}) AS BIGINT)")),
            _ => self.push(&format!("({expr})")),
        }
    }

    /// The column as an operand of a comparison or an ORDER BY.
    fn operand(&mut self, column: &Column, ignore_case: bool, ordered: bool) {
        let expr = column.sql(self.engine);
        let sql = match (column.ty, self.engine) {
            (ColumnType::Decimal, Engine::Sqlite) => format!("CAST(({expr}) AS REAL)"),
            (ColumnType::Text, _) if ignore_case => format!("LOWER({expr})"),
            (ColumnType::Text, Engine::Postgres) if ordered => format!("({expr}) COLLATE \"C\""),
            _ => format!("({expr})"),
        };
        self.text.push_str(&sql);
    }

    /// A placeholder for a value compared with `column`.
    fn operand_value(&mut self, column: &Column, value: Value, ignore_case: bool) {
        match (column.ty, self.engine) {
            (ColumnType::Decimal, Engine::Sqlite) => {
                self.push("CAST(").bind(value).push(" AS REAL)");
            }
            (ColumnType::Text, _) if ignore_case => {
                self.push("LOWER(").bind(value).push(")");
            }
            _ => {
                self.bind(value);
            }
        }
    }

    /// `(expr IS NULL OR ` before a negated test of a nullable column, so NULLs are kept.
    fn keep_nulls(&mut self, column: &Column) -> bool {
        if column.nullable {
            let expr = column.sql(self.engine);
            self.push(&format!("(({expr}) IS NULL OR "));
        }
        column.nullable
    }

    /// Appends a condition, parenthesised where it combines several tests.
    pub fn condition(&mut self, condition: &Condition) -> &mut Sql {
        match condition {
            Condition::Compare {
                column,
                op,
                value,
                ignore_case,
            } => {
                let open = *op == Comparison::Neq && self.keep_nulls(column);
                let ordered = !matches!(op, Comparison::Eq | Comparison::Neq);
                self.operand(column, *ignore_case, ordered);
                self.push(" ").push(op.sql()).push(" ");
                self.operand_value(column, value.clone(), *ignore_case);
                if open {
                    self.push(")");
                }
            }
            Condition::Like {
                column,
                kind,
                needle,
                ignore_case,
                negated,
            } => {
                let open = *negated && self.keep_nulls(column);
                if *negated {
                    self.push("NOT ");
                }
                let expr = column.sql(self.engine);
                if *ignore_case {
                    let pattern = like_pattern(needle, *kind);
                    self.push(&format!("(LOWER({expr}) LIKE LOWER("))
                        .bind(Value::Text(pattern))
                        .push(") ESCAPE '\\')");
                } else if self.engine == Engine::Sqlite {
                    let pattern = glob_pattern(needle, *kind);
                    self.push(&format!("(({expr}) GLOB "))
                        .bind(Value::Text(pattern))
                        .push(")");
                } else {
                    let pattern = like_pattern(needle, *kind);
                    self.push(&format!("(({expr}) LIKE "))
                        .bind(Value::Text(pattern))
                        .push(" ESCAPE '\\')");
                }
                if open {
                    self.push(")");
                }
            }
            Condition::Null { column, negated } => {
                let expr = column.sql(self.engine);
                let test = if *negated { "IS NOT NULL" } else { "IS NULL" };
                self.push(&format!("(({expr}) {test})"));
            }
            Condition::Empty { column, negated } => {
                let expr = column.sql(self.engine);
                if *negated {
                    self.push(&format!("(({expr}) IS NOT NULL AND ({expr}) <> '')"));
                } else {
                    self.push(&format!("(({expr}) IS NULL OR ({expr}) = '')"));
                }
            }
            Condition::In {
                column,
                values,
                ignore_case,
                negated,
            } => {
                let open = *negated && self.keep_nulls(column);
                self.operand(column, *ignore_case, false);
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.operand_value(column, value.clone(), *ignore_case);
                }
                self.push(")");
                if open {
                    self.push(")");
                }
            }
            Condition::All(parts) | Condition::Any(parts) => {
                let (joiner, empty) = match condition {
                    Condition::All(_) => (" AND ", "(1 = 1)"),
                    _ => (" OR ", "(1 = 0)"),
                };
                if parts.is_empty() {
                    return self.push(empty);
                }
                self.push("(");
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        self.push(joiner);
                    }
                    self.condition(part);
                }
                self.push(")");
            }
        }
        self
    }

    /// Appends one page of a grid: ` ORDER BY` the requested `sort` (`default` when none), always
    /// ending on `tiebreak` so pages never overlap, then ` LIMIT … OFFSET …`.
    pub fn order_and_page(
        &mut self,
        sort: &[Sort],
        default: &[Sort],
        tiebreak: Sort,
        limit: u32,
        offset: u64,
    ) -> &mut Sql {
        let mut order: Vec<Sort> = if sort.is_empty() {
            default.to_vec()
        } else {
            sort.to_vec()
        };
        if !order.iter().any(|s| s.column == tiebreak.column) {
            order.push(tiebreak);
        }
        self.order_by(&order)
            .push(" LIMIT ")
            .bind(Value::Integer(i64::from(limit)))
            .push(" OFFSET ")
            .bind(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)))
    }

    /// Appends ` ORDER BY ...` for `sort` (nothing when empty).
    pub fn order_by(&mut self, sort: &[Sort]) -> &mut Sql {
        for (i, s) in sort.iter().enumerate() {
            self.push(if i == 0 { " ORDER BY " } else { ", " });
            let dir = if s.descending { "DESC" } else { "ASC" };
            if s.column.nullable {
                let expr = s.column.sql(self.engine);
                self.push(&format!("(({expr}) IS NULL) {dir}, "));
            }
            self.operand(&s.column, false, true);
            self.push(" ").push(dir);
        }
        self
    }
}

/// A LIKE pattern (escape `\`) for `needle` where `kind` says, LIKE's wildcards taken literally.
pub fn like_pattern(needle: &str, kind: Match) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    if kind != Match::StartsWith {
        pattern.push('%');
    }
    for ch in needle.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    if kind != Match::EndsWith {
        pattern.push('%');
    }
    pattern
}

/// A GLOB pattern (SQLite, case-sensitive) for `needle` where `kind` says, GLOB's wildcards
/// taken literally (a bracket holding one character matches just that character).
pub fn glob_pattern(needle: &str, kind: Match) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    if kind != Match::StartsWith {
        pattern.push('*');
    }
    for ch in needle.chars() {
        match ch {
            '*' | '?' | '[' => {
                pattern.push('[');
                pattern.push(ch);
                pattern.push(']');
            }
            _ => pattern.push(ch),
        }
    }
    if kind != Match::EndsWith {
        pattern.push('*');
    }
    pattern
}

/// Binds every value of a [`Sql`] to a sqlx query, in order, whatever the engine:
/// `bind_values!(sqlx::query_as::<_, Row>(sql.text()), sql.binds())`.
#[macro_export]
macro_rules! bind_values {
    ($query:expr, $values:expr) => {{
        let mut query = $query;
        for value in $values {
            query = match value {
                $crate::grid::Value::Text(v) => query.bind(v.clone()),
                $crate::grid::Value::Integer(v) => query.bind(*v),
                $crate::grid::Value::Decimal(v) => query.bind(*v),
                $crate::grid::Value::Date(v) => query.bind(*v),
                $crate::grid::Value::Timestamp(v) => query.bind(*v),
                $crate::grid::Value::Bool(v) => query.bind(*v),
                $crate::grid::Value::Uuid(v) => query.bind(*v),
            };
        }
        query
    }};
}

/// Reads the `index`th column of a row selected with [`Sql::select`] as a value of `ty`.
pub fn cell<'r, R>(row: &'r R, index: usize, ty: ColumnType) -> Result<Option<Value>, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Amount: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    NaiveDate: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(match ty {
        ColumnType::Text => row.try_get::<Option<String>, _>(index)?.map(Value::Text),
        ColumnType::Integer => row.try_get::<Option<i64>, _>(index)?.map(Value::Integer),
        ColumnType::Decimal => row.try_get::<Option<Amount>, _>(index)?.map(Value::Decimal),
        ColumnType::Date => row.try_get::<Option<NaiveDate>, _>(index)?.map(Value::Date),
        ColumnType::Timestamp => row
            .try_get::<Option<DateTime<Utc>>, _>(index)?
            .map(Value::Timestamp),
        ColumnType::Bool => row.try_get::<Option<bool>, _>(index)?.map(Value::Bool),
        ColumnType::Uuid => row.try_get::<Option<Uuid>, _>(index)?.map(Value::Uuid),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    const CODE: Column = Column::new("b.code", ColumnType::Text);
    const REASON: Column = Column::new("b.cancel_reason", ColumnType::Text).nullable();
    const TOTAL: Column = Column::new("b.total", ColumnType::Decimal);
    const ARRIVAL: Column = Column::new("b.arrival", ColumnType::Date);
    const NIGHTS: Column = Column::per_engine(
        "(b.departure - b.arrival)",
        "CAST(julianday(b.departure) - julianday(b.arrival) AS INTEGER)",
        ColumnType::Integer,
    );
    const CANCELLED: Column = Column::new("b.cancelled_at IS NOT NULL", ColumnType::Bool);

    fn render(engine: Engine, c: &Condition) -> (String, Vec<Value>) {
        let mut sql = Sql::new(engine);
        sql.push("x = ").bind(Value::Integer(0)).push(" AND ");
        sql.condition(c);
        (sql.text().to_string(), sql.binds()[1..].to_vec())
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn compare(column: Column, op: Comparison, value: Value, ignore_case: bool) -> Condition {
        Condition::Compare {
            column,
            op,
            value,
            ignore_case,
        }
    }

    #[test]
    fn comparisons_bind_their_value() {
        for (op, sql) in [
            (Comparison::Eq, "="),
            (Comparison::Neq, "<>"),
            (Comparison::Lt, "<"),
            (Comparison::Lte, "<="),
            (Comparison::Gt, ">"),
            (Comparison::Gte, ">="),
        ] {
            let day = NaiveDate::from_ymd_opt(2030, 5, 1).unwrap();
            let c = compare(ARRIVAL, op, Value::Date(day), false);
            for engine in [Engine::Sqlite, Engine::Postgres] {
                assert_eq!(
                    render(engine, &c),
                    (
                        format!("x = $1 AND (b.arrival) {sql} $2"),
                        vec![Value::Date(day)]
                    )
                );
            }
        }
    }

    #[test]
    fn text_compares_by_code_point_and_folds_case_on_request() {
        let c = compare(CODE, Comparison::Gt, text("WB-A"), false);
        assert_eq!(
            render(Engine::Postgres, &c).0,
            "x = $1 AND (b.code) COLLATE \"C\" > $2"
        );
        assert_eq!(render(Engine::Sqlite, &c).0, "x = $1 AND (b.code) > $2");
        let c = compare(CODE, Comparison::Eq, text("wb-a"), true);
        for engine in [Engine::Sqlite, Engine::Postgres] {
            assert_eq!(
                render(engine, &c),
                (
                    "x = $1 AND LOWER(b.code) = LOWER($2)".into(),
                    vec![text("wb-a")]
                )
            );
        }
    }

    #[test]
    fn decimals_compare_as_numbers_on_sqlite() {
        let amount = Value::Decimal(Amount(Decimal::new(40505, 1)));
        let c = compare(TOTAL, Comparison::Gte, amount.clone(), false);
        assert_eq!(
            render(Engine::Sqlite, &c),
            (
                "x = $1 AND CAST((b.total) AS REAL) >= CAST($2 AS REAL)".into(),
                vec![amount.clone()]
            )
        );
        assert_eq!(
            render(Engine::Postgres, &c),
            ("x = $1 AND (b.total) >= $2".into(), vec![amount])
        );
    }

    #[test]
    fn negations_keep_nulls_of_nullable_columns() {
        let c = compare(REASON, Comparison::Neq, text("late"), false);
        assert_eq!(
            render(Engine::Postgres, &c).0,
            "x = $1 AND ((b.cancel_reason) IS NULL OR (b.cancel_reason) <> $2)"
        );
        let c = compare(CODE, Comparison::Neq, text("A"), false);
        assert_eq!(render(Engine::Postgres, &c).0, "x = $1 AND (b.code) <> $2");
        let c = Condition::In {
            column: REASON,
            values: vec![text("a"), text("b")],
            ignore_case: false,
            negated: true,
        };
        assert_eq!(
            render(Engine::Sqlite, &c),
            (
                "x = $1 AND ((b.cancel_reason) IS NULL OR (b.cancel_reason) NOT IN ($2, $3))"
                    .into(),
                vec![text("a"), text("b")]
            )
        );
        let c = Condition::Like {
            column: REASON,
            kind: Match::Contains,
            needle: "x".into(),
            ignore_case: false,
            negated: true,
        };
        assert_eq!(
            render(Engine::Postgres, &c),
            (
                "x = $1 AND ((b.cancel_reason) IS NULL OR NOT ((b.cancel_reason) LIKE $2 ESCAPE '\\'))".into(),
                vec![text("%x%")]
            )
        );
    }

    #[test]
    fn text_matches_per_engine() {
        for (kind, like, glob) in [
            (Match::Contains, "%a\\%b\\_c\\\\%", "*a%b_c\\*"),
            (Match::StartsWith, "a\\%b\\_c\\\\%", "a%b_c\\*"),
            (Match::EndsWith, "%a\\%b\\_c\\\\", "*a%b_c\\"),
        ] {
            let c = Condition::Like {
                column: CODE,
                kind,
                needle: "a%b_c\\".into(),
                ignore_case: false,
                negated: false,
            };
            assert_eq!(
                render(Engine::Postgres, &c),
                (
                    "x = $1 AND ((b.code) LIKE $2 ESCAPE '\\')".into(),
                    vec![text(like)]
                )
            );
            assert_eq!(
                render(Engine::Sqlite, &c),
                ("x = $1 AND ((b.code) GLOB $2)".into(), vec![text(glob)])
            );
            let folded = Condition::Like {
                column: CODE,
                kind,
                needle: "a%b_c\\".into(),
                ignore_case: true,
                negated: false,
            };
            for engine in [Engine::Sqlite, Engine::Postgres] {
                assert_eq!(
                    render(engine, &folded),
                    (
                        "x = $1 AND (LOWER(b.code) LIKE LOWER($2) ESCAPE '\\')".into(),
                        vec![text(like)]
                    )
                );
            }
        }
        assert_eq!(
            glob_pattern("a*b?c[d]", Match::Contains),
            "*a[*]b[?]c[[]d]*"
        );
        let negated = Condition::Like {
            column: CODE,
            kind: Match::StartsWith,
            needle: "WB".into(),
            ignore_case: false,
            negated: true,
        };
        assert_eq!(
            render(Engine::Sqlite, &negated).0,
            "x = $1 AND NOT ((b.code) GLOB $2)"
        );
    }

    #[test]
    fn null_and_empty_tests_bind_nothing() {
        let cases = [
            (
                Condition::Null {
                    column: REASON,
                    negated: false,
                },
                "((b.cancel_reason) IS NULL)",
            ),
            (
                Condition::Null {
                    column: REASON,
                    negated: true,
                },
                "((b.cancel_reason) IS NOT NULL)",
            ),
            (
                Condition::Empty {
                    column: REASON,
                    negated: false,
                },
                "((b.cancel_reason) IS NULL OR (b.cancel_reason) = '')",
            ),
            (
                Condition::Empty {
                    column: REASON,
                    negated: true,
                },
                "((b.cancel_reason) IS NOT NULL AND (b.cancel_reason) <> '')",
            ),
        ];
        for (c, sql) in cases {
            assert_eq!(
                render(Engine::Sqlite, &c),
                (format!("x = $1 AND {sql}"), vec![])
            );
        }
    }

    #[test]
    fn in_lists_bind_each_value() {
        let c = Condition::In {
            column: CODE,
            values: vec![text("A"), text("B"), text("C")],
            ignore_case: true,
            negated: false,
        };
        assert_eq!(
            render(Engine::Postgres, &c),
            (
                "x = $1 AND LOWER(b.code) IN (LOWER($2), LOWER($3), LOWER($4))".into(),
                vec![text("A"), text("B"), text("C")]
            )
        );
        let c = Condition::In {
            column: TOTAL,
            values: vec![Value::Decimal(Amount(Decimal::ONE))],
            ignore_case: false,
            negated: false,
        };
        assert_eq!(
            render(Engine::Sqlite, &c).0,
            "x = $1 AND CAST((b.total) AS REAL) IN (CAST($2 AS REAL))"
        );
    }

    #[test]
    fn composites_nest_and_number_placeholders_in_order() {
        let c = Condition::All(vec![
            compare(CANCELLED, Comparison::Eq, Value::Bool(false), false),
            Condition::Any(vec![
                compare(NIGHTS, Comparison::Gte, Value::Integer(3), false),
                compare(CODE, Comparison::Eq, text("X"), false),
            ]),
        ]);
        assert_eq!(
            render(Engine::Postgres, &c),
            (
                "x = $1 AND ((b.cancelled_at IS NOT NULL) = $2 AND (((b.departure - b.arrival)) >= $3 OR (b.code) = $4))".into(),
                vec![Value::Bool(false), Value::Integer(3), text("X")]
            )
        );
        assert_eq!(
            render(Engine::Sqlite, &c).0,
            "x = $1 AND ((b.cancelled_at IS NOT NULL) = $2 AND ((CAST(julianday(b.departure) - julianday(b.arrival) AS INTEGER)) >= $3 OR (b.code) = $4))"
        );
        assert_eq!(
            render(Engine::Sqlite, &Condition::Any(vec![])).0,
            "x = $1 AND (1 = 0)"
        );
        assert_eq!(
            render(Engine::Sqlite, &Condition::All(vec![])).0,
            "x = $1 AND (1 = 1)"
        );
    }

    #[test]
    fn order_by_puts_nulls_last_ascending_on_both_engines() {
        let sort = [
            Sort {
                column: REASON,
                descending: false,
            },
            Sort {
                column: TOTAL,
                descending: true,
            },
            Sort {
                column: ARRIVAL,
                descending: false,
            },
        ];
        let mut sql = Sql::new(Engine::Sqlite);
        sql.order_by(&sort);
        assert_eq!(
            sql.text(),
            " ORDER BY ((b.cancel_reason) IS NULL) ASC, (b.cancel_reason) ASC, CAST((b.total) AS REAL) DESC, (b.arrival) ASC"
        );
        let mut sql = Sql::new(Engine::Postgres);
        sql.order_by(&sort[..2]);
        assert_eq!(
            sql.text(),
            " ORDER BY ((b.cancel_reason) IS NULL) ASC, (b.cancel_reason) COLLATE \"C\" ASC, (b.total) DESC"
        );
        let mut sql = Sql::new(Engine::Postgres);
        sql.order_by(&[]);
        assert_eq!(sql.text(), "");
    }

    #[test]
    fn select_items_decode_alike() {
        let mut sql = Sql::new(Engine::Postgres);
        sql.select(&NIGHTS).push(", ").select(&CODE);
        assert_eq!(
            sql.text(),
            "CAST(((b.departure - b.arrival)) AS BIGINT), (b.code)"
        );
    }
}
