//! Resolve an operation's pagination entries to parameter and field indices:
//! the one place pagination is validated (missing keys, unknown names, the
//! types a pager needs, consistency between styles), reporting diagnostics
//! like the rest of the model.

use super::{FieldModel, ParamModel, Ty};
use crate::diag::{did_you_mean, Diagnostic};
use crate::spec::{Pagination, PaginationStyle};

/// A resolved pagination style of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct PaginationModel {
    /// Token or page number.
    pub style: PaginationStyle,
    /// Index of the items field in the output type's fields.
    pub items: usize,
    /// The element type of the items list.
    pub item: Ty,
    /// Whether the items field is optional.
    pub items_optional: bool,
    /// Index of the page size parameter.
    pub page_size: Option<usize>,
    /// Token style: index of the token parameter.
    pub token_param: Option<usize>,
    /// Token style: index of the next-token output field, and whether it is optional.
    pub token_field: Option<(usize, bool)>,
    /// Page style: index of the page number parameter.
    pub page_param: Option<usize>,
    /// Page style: index of the total-count output field, and whether it is optional.
    pub total_field: Option<(usize, bool)>,
    /// Page style: number of the first page.
    pub first_page: i64,
}

/// A pagination style as the spec spells it.
fn style_name(s: PaginationStyle) -> &'static str {
    match s {
        PaginationStyle::NextToken => "next_token",
        PaginationStyle::PageNumber => "page_number",
    }
}

/// Resolve every entry against the operation's parameters and the fields
/// of its output (`fields`, empty when the output is not an object).
/// Entries with problems are left out; every problem is returned.
pub(crate) fn resolve(
    opath: &str,
    entries: &[Pagination],
    params: &[ParamModel],
    fields: &[FieldModel],
) -> (Vec<PaginationModel>, Vec<Diagnostic>) {
    let mut out: Vec<PaginationModel> = Vec::new();
    let mut problems = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = format!("{opath}.pagination[{i}]");
        let mut check = Checker {
            path: &path,
            style: entry.style,
            params,
            fields,
            problems: &mut problems,
            broken: false,
        };
        let (token_param, token_field, page_param, total_field) = match entry.style {
            PaginationStyle::NextToken => (
                check.param("token_param", entry.token_param.as_ref(), true, is_string, "a string"),
                check.typed_field("token_field", entry.token_field.as_ref(), is_string, "a string"),
                None,
                None,
            ),
            PaginationStyle::PageNumber => (
                None,
                None,
                check.param("page_param", entry.page_param.as_ref(), true, is_integer, "an integer"),
                check.typed_field("total_field", entry.total_field.as_ref(), is_integer, "an integer"),
            ),
        };
        let page_size = check.param("page_size", entry.page_size.as_ref(), false, is_integer, "an integer");
        let items = check.field("items", Some(&entry.items));
        let item = items.and_then(|f| match &fields[f].ty {
            Ty::Array(inner) => Some((**inner).clone()),
            other => {
                check.problem(
                    format!("{path}.items"),
                    format!("the items field must be an array, but it is {}", describe(other)),
                );
                None
            }
        });
        if let (Some(first), Some(items)) = (out.first(), items) {
            if first.items != items {
                check.problem(
                    format!("{path}.items"),
                    "every pagination style of an operation must list the same items field".to_owned(),
                );
            }
        }
        if out.iter().any(|p| p.style == entry.style) {
            check.problem(
                format!("{path}.style"),
                format!(
                    "a second `{}` pagination; an operation pages one way per style",
                    serde_json::json!(entry.style).as_str().unwrap_or_default()
                ),
            );
        }
        let first_page = match i64::try_from(entry.first_page.unwrap_or(1)) {
            Ok(n) => n,
            Err(_) => {
                check.problem(
                    format!("{path}.first_page"),
                    "the first page number is too large".to_owned(),
                );
                1
            }
        };
        if check.broken {
            continue;
        }
        if let (Some(items), Some(item)) = (items, item) {
            out.push(PaginationModel {
                style: entry.style,
                items,
                item,
                items_optional: fields[items].optional,
                page_size,
                token_param,
                token_field: token_field.map(|f| (f, fields[f].optional)),
                page_param,
                total_field: total_field.map(|f| (f, fields[f].optional)),
                first_page,
            });
        }
    }
    (out, problems)
}

struct Checker<'a> {
    path: &'a str,
    style: PaginationStyle,
    params: &'a [ParamModel],
    fields: &'a [FieldModel],
    problems: &'a mut Vec<Diagnostic>,
    broken: bool,
}

impl Checker<'_> {
    fn problem(&mut self, path: String, message: String) -> &mut Diagnostic {
        self.broken = true;
        self.problems.push(Diagnostic::error(path, message));
        self.problems.last_mut().expect("just pushed")
    }

    /// A key the style needs is absent.
    fn missing(&mut self, key: &str) {
        let message = format!("`{}` pagination needs `{key}`", style_name(self.style));
        let d = self.problem(self.path.to_owned(), message);
        d.hint = Some(format!("add `{key}: <wire name>`"));
    }

    /// A named thing that is not there, with the nearest name as a hint.
    fn unknown<'n>(&mut self, key: &str, message: String, name: &str, names: impl IntoIterator<Item = &'n str>) {
        let best = did_you_mean(name, names);
        let d = self.problem(format!("{}.{key}", self.path), message);
        d.hint = best.map(|b| format!("did you mean `{b}`?"));
    }

    fn param(
        &mut self,
        key: &str,
        name: Option<&String>,
        needed: bool,
        ok: fn(&Ty) -> bool,
        want: &str,
    ) -> Option<usize> {
        let Some(name) = name else {
            if needed {
                self.missing(key);
            }
            return None;
        };
        let Some(index) = self.params.iter().position(|p| &p.wire == name) else {
            let params = self.params;
            self.unknown(
                key,
                format!("no parameter `{name}`"),
                name,
                params.iter().map(|p| p.wire.as_str()),
            );
            return None;
        };
        let p = &self.params[index];
        if !ok(&p.ty) {
            self.problem(
                format!("{}.{key}", self.path),
                format!("parameter `{name}` must be {want}, but it is {}", describe(&p.ty)),
            );
        } else if p.required && key != "page_size" {
            self.problem(
                format!("{}.{key}", self.path),
                format!("parameter `{name}` is required, but a pager must be able to leave it unset on the first page"),
            );
        }
        Some(index)
    }

    fn field(&mut self, key: &str, name: Option<&String>) -> Option<usize> {
        let Some(name) = name else {
            self.missing(key);
            return None;
        };
        let index = self.fields.iter().position(|f| &f.wire == name);
        if index.is_none() {
            let fields = self.fields;
            let message = format!("the output type has no field `{name}`");
            self.unknown(key, message, name, fields.iter().map(|f| f.wire.as_str()));
        }
        index
    }

    fn typed_field(&mut self, key: &str, name: Option<&String>, ok: fn(&Ty) -> bool, want: &str) -> Option<usize> {
        let index = self.field(key, name)?;
        let ty = &self.fields[index].ty;
        if !ok(ty) {
            let message = format!(
                "output field `{}` must be {want}, but it is {}",
                self.fields[index].wire,
                describe(ty)
            );
            self.problem(format!("{}.{key}", self.path), message);
        }
        Some(index)
    }
}

fn is_string(ty: &Ty) -> bool {
    *ty == Ty::String
}

fn is_integer(ty: &Ty) -> bool {
    matches!(ty, Ty::Integer | Ty::Int32)
}

fn describe(ty: &Ty) -> &'static str {
    match ty {
        Ty::String => "a string",
        Ty::Integer | Ty::Int32 => "an integer",
        Ty::Number => "a number",
        Ty::Boolean => "a boolean",
        Ty::Json => "arbitrary JSON",
        Ty::Array(_) => "an array",
        Ty::Map(_) => "a map",
        Ty::Named(_) => "a named type",
    }
}
