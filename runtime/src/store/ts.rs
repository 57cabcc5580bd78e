//! `Ts`: how timestamps are bound and read, identically on both backends.
//!
//! PostgreSQL stores `TIMESTAMPTZ`. SQLite has no time type, and sqlx's default text encoding
//! has a variable number of fractional digits, which does not sort as text; `Ts` writes a
//! fixed-width `YYYY-MM-DDTHH:MM:SS.ffffffZ` instead, so `ORDER BY at` and `at < $1` are right.
//! Values are truncated to microseconds (PostgreSQL's precision) so both backends round-trip
//! the same value.

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Postgres, Sqlite, Type};

/// A UTC timestamp as stored by the [`Store`](super::Store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Ts(pub(crate) DateTime<Utc>);

impl Ts {
    pub(crate) fn new(at: DateTime<Utc>) -> Self {
        Self(at.trunc_subsecs(6))
    }
}

/// The current time, at the store's precision (microseconds).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

impl Type<Sqlite> for Ts {
    fn type_info() -> SqliteTypeInfo {
        <DateTime<Utc> as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <DateTime<Utc> as Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for Ts {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Sqlite>>::encode(sqlite_text(&self.0), buf)
    }
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as chrono's `%Y-%m-%dT%H:%M:%S%.6fZ` writes it, but digit by
/// digit: every audit row binds one, and chrono's format string costs ~8 K instructions (it is
/// parsed on each call), this ~0.3 K. Years outside 0..=9999 (not fixed-width) go to chrono.
fn sqlite_text(at: &DateTime<Utc>) -> String {
    use chrono::{Datelike as _, Timelike as _};
    let year = at.year();
    if !(0..=9999).contains(&year) {
        return at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    }
    let micros = at.nanosecond() % 1_000_000_000 / 1_000;
    let mut out = [0u8; 27];
    let mut put = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, year as u32);
    put(5, 2, at.month());
    put(8, 2, at.day());
    put(11, 2, at.hour());
    put(14, 2, at.minute());
    // A leap second (nanosecond >= 1e9) is second 60, as chrono writes it.
    put(17, 2, at.second() + at.nanosecond() / 1_000_000_000);
    put(20, 6, micros);
    for (i, c) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
        (26, b'Z'),
    ] {
        out[i] = c;
    }
    String::from_utf8(out.to_vec()).expect("ASCII digits and separators")
}

impl<'r> Decode<'r, Sqlite> for Ts {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        <DateTime<Utc> as Decode<'r, Sqlite>>::decode(value).map(Self)
    }
}

impl Type<Postgres> for Ts {
    fn type_info() -> PgTypeInfo {
        <DateTime<Utc> as Type<Postgres>>::type_info()
    }
    fn compatible(ty: &PgTypeInfo) -> bool {
        <DateTime<Utc> as Type<Postgres>>::compatible(ty)
    }
}

impl Encode<'_, Postgres> for Ts {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <DateTime<Utc> as Encode<'_, Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Ts {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        <DateTime<Utc> as Decode<'r, Postgres>>::decode(value).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};

    use super::sqlite_text;

    #[test]
    fn sqlite_text_is_chronos_fixed_width_format() {
        let at = |y, mo, d, h, mi, s, nano| -> DateTime<Utc> {
            NaiveDate::from_ymd_opt(y, mo, d)
                .unwrap()
                .and_hms_nano_opt(h, mi, s, nano)
                .unwrap()
                .and_utc()
        };
        let cases = [
            at(2026, 11, 28, 1, 23, 45, 123_456_789),
            at(1970, 1, 1, 0, 0, 0, 0),
            at(1, 2, 3, 4, 5, 6, 7_000),
            at(9999, 12, 31, 23, 59, 59, 999_999_999),
            at(2016, 12, 31, 23, 59, 59, 1_500_000_000), // leap second
            at(10_000, 1, 1, 0, 0, 0, 0),                // not fixed-width: chrono's text
            at(-1, 1, 1, 0, 0, 0, 0),
            Utc::now(),
        ];
        for t in cases {
            assert_eq!(
                sqlite_text(&t),
                t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
                "{t:?}"
            );
        }
        assert_eq!(
            sqlite_text(&cases[0]),
            "2026-11-28T01:23:45.123456Z",
            "fixed width, truncated to microseconds"
        );
    }
}
