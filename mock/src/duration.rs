//! Durations as people write them on a command line or in a script:
//! `250ms`, `2s`, `1.5s`, `3m`, `1h`.

use std::time::Duration;

/// Parse a number with a unit: `ms`, `s`, `m` or `h` (`10` alone is
/// refused, so that `--exit-after 10` cannot be misread).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("`{text}` has no unit; write e.g. `500ms`, `2s`, `1.5m` or `1h`"))?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` does not start with a number; write e.g. `500ms` or `2s`"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => return Err(format!("unknown unit `{other}` in `{text}`; use ms, s, m or h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{text}` is not a usable duration: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_mistakes() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration(" 2m "), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_duration("10").unwrap_err().contains("no unit"));
        assert!(parse_duration("s").unwrap_err().contains("number"));
        assert!(parse_duration("3 days").unwrap_err().contains("unknown unit `days`"));
    }
}
