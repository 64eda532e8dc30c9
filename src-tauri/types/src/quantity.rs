use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A non-negative decimal quantity with three decimal places (0.001 is the
/// smallest step), stored exactly as an integer count of thousandths.
///
/// Stock, minimum stock, BOM quantities and build quantities are all
/// `Quantity`: sums are exact, comparisons are integer comparisons, and
/// SQLite stores them as `INTEGER`. It crosses IPC as a decimal string
/// (`"12.5"`), so nothing rounds through a float.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(i64);

/// Units per whole: three decimal places.
const SCALE: i64 = 1000;
/// The largest quantity accepted: a trillion of anything is a typing error.
const MAX_WHOLE: i64 = 1_000_000_000_000;

/// Why a text is not a quantity, in words for a form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError(pub String);

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QuantityError {}

impl Quantity {
    pub const ZERO: Quantity = Quantity(0);

    /// From a count of thousandths (how the database stores it).
    pub const fn from_milli(milli: i64) -> Self {
        Quantity(milli)
    }

    /// A whole number of units.
    pub const fn whole(units: i64) -> Self {
        Quantity(units * SCALE)
    }

    pub const fn milli(self) -> i64 {
        self.0
    }

    /// Whether it is a quantity a person could have typed (below a
    /// trillion either way): what crosses IPC, and all a form may store.
    pub const fn is_typable(self) -> bool {
        self.0 > -MAX_WHOLE * SCALE && self.0 < MAX_WHOLE * SCALE
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self - other`, or `None` when that would go below zero.
    pub fn checked_sub(self, other: Quantity) -> Option<Quantity> {
        let value = self.0.checked_sub(other.0)?;
        (value >= 0).then_some(Quantity(value))
    }

    /// `self - other`, stopping at zero.
    pub fn saturating_sub(self, other: Quantity) -> Quantity {
        Quantity((self.0 - other.0).max(0))
    }

    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_add(other.0).map(Quantity)
    }

    /// `self × other` (e.g. BOM quantity × build quantity), rounded to thousandths.
    pub fn checked_mul(self, other: Quantity) -> Option<Quantity> {
        let product = (self.0 as i128) * (other.0 as i128) / (SCALE as i128);
        i64::try_from(product).ok().map(Quantity)
    }
}

impl Quantity {
    /// Reads a quantity as a person typed it into a form: as [`FromStr`]
    /// does, and where the locale writes decimals with a comma
    /// (`decimal_comma`), "2,5" as 2.5 — one comma and no point. A comma
    /// next to a point ("1,234.5") or several commas are refused in words:
    /// thousands separators cannot be told from decimal ones.
    pub fn parse_typed(text: &str, decimal_comma: bool) -> Result<Quantity, QuantityError> {
        let text = text.trim();
        let commas = text.matches(',').count();
        if commas == 0 {
            return text.parse();
        }
        let example = if decimal_comma { "1234,5" } else { "1234.5" };
        if text.contains('.') {
            return Err(QuantityError(format!(
                "\"{text}\" has both a comma and a point: write it without thousands separators, like {example}."
            )));
        }
        if commas > 1 {
            return Err(QuantityError(format!(
                "\"{text}\" has more than one comma: write it without thousands separators, like {example}."
            )));
        }
        if !decimal_comma {
            return Err(QuantityError(format!(
                "\"{text}\": use a point for decimals and no thousands separators, like {example}."
            )));
        }
        parse(text, ',')
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    /// The wire form: digits with an optional decimal point ("12.5").
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text.trim(), '.')
    }
}

/// Reads a trimmed quantity whose decimal separator is `separator`.
fn parse(text: &str, separator: char) -> Result<Quantity, QuantityError> {
    if text.is_empty() {
        return Err(QuantityError("Enter a quantity.".into()));
    }
    if text.starts_with('-') {
        return Err(QuantityError("A quantity cannot be negative.".into()));
    }
    let (whole, fraction) = text.split_once(separator).unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(QuantityError(format!("\"{text}\" is not a number.")));
    }
    if fraction.len() > 3 {
        return Err(QuantityError(
            "Use at most three decimal places (0.001).".into(),
        ));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| QuantityError("That quantity is too large.".into()))?
    };
    if whole >= MAX_WHOLE {
        return Err(QuantityError("That quantity is too large.".into()));
    }
    let mut milli: i64 = 0;
    for (i, c) in fraction.chars().enumerate() {
        milli += i64::from(c as u8 - b'0') * 10_i64.pow(2 - i as u32);
    }
    Ok(Quantity(whole * SCALE + milli))
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / SCALE as u64;
        let fraction = abs % SCALE as u64;
        if fraction == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let fraction = format!("{fraction:03}");
            write!(f, "{sign}{whole}.{}", fraction.trim_end_matches('0'))
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Result<Quantity, QuantityError> {
        text.parse()
    }

    #[test]
    fn parses_whole_and_decimal_numbers() {
        assert_eq!(q("12"), Ok(Quantity::from_milli(12_000)));
        assert_eq!(q(" 12.5 "), Ok(Quantity::from_milli(12_500)));
        assert_eq!(q("0.001"), Ok(Quantity::from_milli(1)));
        assert_eq!(q(".25"), Ok(Quantity::from_milli(250)));
        assert_eq!(q("7."), Ok(Quantity::whole(7)));
        assert_eq!(q("0"), Ok(Quantity::ZERO));
    }

    #[test]
    fn rejects_what_is_not_a_quantity() {
        for bad in ["", "-1", "abc", "1.2.3", "1e3", "0.0001", "1,5", ".", "+3"] {
            assert!(q(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(q("1000000000000").is_err());
        assert!(q("99999999999999999999999").is_err());
    }

    #[test]
    fn a_typed_decimal_comma_counts_where_the_locale_uses_one() {
        let typed = |text: &str, comma: bool| Quantity::parse_typed(text, comma);
        assert_eq!(typed("2,5", true), Ok(Quantity::from_milli(2_500)));
        assert_eq!(typed(" 0,125 ", true), Ok(Quantity::from_milli(125)));
        assert_eq!(typed(",5", true), Ok(Quantity::from_milli(500)));
        assert_eq!(typed("7,", true), Ok(Quantity::whole(7)));
        // A point, or no separator, reads the same in every locale.
        for comma in [true, false] {
            assert_eq!(typed("2.5", comma), Ok(Quantity::from_milli(2_500)));
            assert_eq!(typed("12", comma), Ok(Quantity::whole(12)));
        }
        // Where the locale writes "2.5", "1,000" may be a thousand: refused.
        let err = typed("2,5", false).expect_err("a comma where decimals take a point");
        assert!(err.0.contains("use a point for decimals"), "{err}");
        assert!(err.0.contains("1234.5"), "{err}");
    }

    #[test]
    fn a_typed_quantity_with_thousands_separators_is_refused_in_words() {
        for comma in [true, false] {
            let err = Quantity::parse_typed("1,234.5", comma).expect_err("comma and point");
            assert!(err.0.contains("both a comma and a point"), "{err}");
            let err = Quantity::parse_typed("1.234,5", comma).expect_err("point and comma");
            assert!(err.0.contains("both a comma and a point"), "{err}");
            let err = Quantity::parse_typed("1,234,567", comma).expect_err("two commas");
            assert!(err.0.contains("more than one comma"), "{err}");
        }
        let example = |comma| {
            Quantity::parse_typed("1,234.5", comma)
                .expect_err("ambiguous")
                .0
        };
        assert!(example(true).contains("like 1234,5"));
        assert!(example(false).contains("like 1234.5"));
        for bad in ["-2,5", "2,5x", ",", "2,0001", "1e3,5"] {
            assert!(
                Quantity::parse_typed(bad, true).is_err(),
                "{bad:?} should be rejected"
            );
        }
        // The wire form never takes a comma.
        assert!("2,5".parse::<Quantity>().is_err());
    }

    #[test]
    fn displays_without_trailing_zeros() {
        assert_eq!(Quantity::from_milli(12_500).to_string(), "12.5");
        assert_eq!(Quantity::from_milli(1).to_string(), "0.001");
        assert_eq!(Quantity::whole(40).to_string(), "40");
    }

    #[test]
    fn arithmetic_never_goes_below_zero_silently() {
        let five = Quantity::whole(5);
        let two = Quantity::whole(2);
        assert_eq!(five.checked_sub(two), Some(Quantity::whole(3)));
        assert_eq!(two.checked_sub(five), None);
        assert_eq!(two.saturating_sub(five), Quantity::ZERO);
        assert_eq!(
            Quantity::from_milli(2_500).checked_mul(Quantity::whole(4)),
            Some(Quantity::whole(10))
        );
    }

    #[test]
    fn crosses_json_as_a_string() {
        let json = serde_json::to_string(&Quantity::from_milli(1_250)).expect("serializes");
        assert_eq!(json, "\"1.25\"");
        let back: Quantity = serde_json::from_str("\"3.5\"").expect("deserializes");
        assert_eq!(back, Quantity::from_milli(3_500));
        assert!(serde_json::from_str::<Quantity>("\"-2\"").is_err());
    }
}
