//! Operation parameters from the command line: `--params-json` (inline,
//! `@file` or `@-` for stdin) and `--param NAME=VALUE`, each value read as
//! the parameter's type asks.

use std::io::Read as _;

use cloudsnap::client::{DynOperation, ParamKind};
use serde_json::{Map, Value};

/// The JSON object of parameters (keys as given: wire or Rust names; the
/// call maps and checks them).
pub fn collect(op: &DynOperation, json: Option<&str>, pairs: &[String]) -> Result<Value, String> {
    let mut params = match json {
        None => Map::new(),
        Some(text) => {
            let text = read_json_arg(text)?;
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => map,
                Ok(Value::Null) => Map::new(),
                Ok(_) => return Err("--params-json must be a JSON object".to_owned()),
                Err(e) => return Err(format!("--params-json is not valid JSON: {e}")),
            }
        }
    };
    for pair in pairs {
        let Some((name, raw)) = pair.split_once('=') else {
            return Err(format!("--param `{pair}` is not NAME=VALUE"));
        };
        let kind = op.param(name).map(|p| p.kind);
        let value = value_for(kind, raw);
        match params.get_mut(name) {
            None => {
                params.insert(name.to_owned(), value);
            }
            // Repeating an array parameter adds items.
            Some(Value::Array(items)) if matches!(kind, Some(ParamKind::Array(_))) => match value {
                Value::Array(more) => items.extend(more),
                other => items.push(other),
            },
            Some(_) => return Err(format!("parameter `{name}` is given more than once")),
        }
    }
    Ok(Value::Object(params))
}

/// `@file` and `@-` read a file or stdin; anything else is the JSON itself.
fn read_json_arg(arg: &str) -> Result<String, String> {
    match arg.strip_prefix('@') {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read --params-json from stdin: {e}"))?;
            Ok(text)
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("cannot read --params-json file {path}: {e}")),
        None => Ok(arg.to_owned()),
    }
}

/// The JSON value for a command-line value of a parameter of `kind`:
/// strings and enum values as they are; numbers, booleans, objects and JSON
/// parsed as JSON (what does not parse stays a string, which the request's
/// deserializer then reports with the parameter's path); arrays as a JSON
/// array or comma-separated items.
pub fn value_for(kind: Option<ParamKind>, raw: &str) -> Value {
    match kind {
        Some(ParamKind::String | ParamKind::Enum(_)) => Value::String(raw.to_owned()),
        Some(ParamKind::Array(item)) => {
            if raw.trim_start().starts_with('[') {
                if let Ok(v @ Value::Array(_)) = serde_json::from_str(raw) {
                    return v;
                }
            }
            let items = if raw.is_empty() {
                Vec::new()
            } else {
                raw.split(',').collect()
            };
            Value::Array(items.into_iter().map(|i| value_for(Some(*item), i)).collect())
        }
        _ => serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_follow_the_parameter_kind() {
        assert_eq!(value_for(Some(ParamKind::String), "40"), json!("40"));
        assert_eq!(value_for(Some(ParamKind::Integer), "40"), json!(40));
        assert_eq!(value_for(Some(ParamKind::Integer), "forty"), json!("forty"));
        assert_eq!(value_for(Some(ParamKind::Boolean), "true"), json!(true));
        assert_eq!(
            value_for(Some(ParamKind::Array(&ParamKind::String)), "a,b"),
            json!(["a", "b"])
        );
        assert_eq!(
            value_for(Some(ParamKind::Array(&ParamKind::Integer)), "1,2"),
            json!([1, 2])
        );
        assert_eq!(
            value_for(Some(ParamKind::Array(&ParamKind::String)), r#"["a,b"]"#),
            json!(["a,b"])
        );
        assert_eq!(value_for(Some(ParamKind::Object), r#"{"k":1}"#), json!({"k": 1}));
        assert_eq!(value_for(None, "7"), json!(7));
    }
}
