//! Named types: objects and their fields, enums and their values, and the
//! Rust names they get.

use foldhash::{HashMap, HashMapExt as _};

use super::names::{field_name, identifier, raw_identifier, snake_identifier, type_identifier, type_name, NameProblem};
use super::resolve::Resolver;
use super::types::{self, TypeExpr};
use super::values;
use super::*;

/// The message prefix and hint for a name problem of `what` (`field`, ...).
fn name_hint(p: &NameProblem, name: &str, case: &str, example: &str) -> String {
    let ascii = if name.is_ascii() { "" } else { "ASCII " };
    let next = if ascii.is_empty() { case } else { ascii };
    let article = if next.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    match p {
        NameProblem::WrongCase(_) => format!("rename it in {case}, e.g. `{example}`"),
        _ => format!("set `rust_name` to {article} {ascii}{case} identifier, e.g. `{example}`"),
    }
}

impl<'a> Resolver<'a> {
    pub(super) fn build_types(&mut self) -> Vec<TypeModel> {
        let types: Vec<(&'a String, &'a spec::TypeDef)> = self.spec.types.iter().collect();
        self.map_parallel(&types, |r, _, (key, def)| r.build_type(key, def))
    }

    /// One named type, its name and members checked.
    fn build_type(&mut self, key: &'a str, def: &spec::TypeDef) -> TypeModel {
        let path = format!("types.{key}");
        let key_ok = self.check_type_key(key, &path);
        let rust_name = def.rust_name.clone().unwrap_or_else(|| type_name(key));
        // A bad key was reported; its derived name would only repeat that.
        let checked = if key_ok || def.rust_name.is_some() {
            type_identifier(&rust_name)
        } else {
            Ok(())
        };
        if let Err(p) = checked {
            let at = if def.rust_name.is_some() {
                format!("{path}.rust_name")
            } else {
                path.clone()
            };
            let d = self.error(at, format!("type `{key}`: {}", p.explain(&rust_name)));
            Self::hint(d, name_hint(&p, &rust_name, "UpperCamelCase", "BackupDetail"));
        }
        let kind = match (&def.fields, &def.values) {
            (Some(fields), None) => TypeKind::Object {
                fields: self.build_fields(&path, fields),
            },
            (None, Some(values)) => TypeKind::Enum {
                values: self.build_enum(&path, values, def.case_insensitive),
                case_insensitive: def.case_insensitive,
            },
            (Some(_), Some(_)) => {
                let d = self.error(path.clone(), format!("type `{key}` has both `fields` and `values`"));
                Self::hint(
                    d,
                    "an object has `fields`, an enum has `values`; split it into two types",
                );
                TypeKind::Object { fields: Vec::new() }
            }
            (None, None) => {
                let d = self.error(path.clone(), format!("type `{key}` has neither `fields` nor `values`"));
                Self::hint(d, "add `fields:` for an object or `values:` for an enum");
                TypeKind::Object { fields: Vec::new() }
            }
        };
        if def.case_insensitive && def.values.is_none() {
            self.error(
                format!("{path}.case_insensitive"),
                "`case_insensitive` applies to enums only",
            );
        }
        TypeModel {
            key: key.to_owned(),
            rust_name,
            docs: def.docs.clone(),
            kind,
            defaultable: false,
        }
    }

    /// A type key must be something a type expression can name; false
    /// (after reporting) if it is not.
    fn check_type_key(&mut self, key: &'a str, path: &str) -> bool {
        match types::parse(key) {
            Ok(TypeExpr::Named(n)) if n == key => return true,
            Ok(_) => {
                self.unreferenceable.insert(key);
                let d = self.error(path, format!("type name `{key}` is a built-in type expression"));
                Self::hint(d, format!("rename the type, e.g. `{}Value`", type_name(key)));
            }
            Err(_) => {
                self.unreferenceable.insert(key);
                let d = self.error(
                    path,
                    format!("type name `{key}` cannot be written in a type expression"),
                );
                let better = type_name(key);
                let hint = if types::parse(&better).is_ok_and(|t| t == TypeExpr::Named(better.clone())) {
                    format!("type names use ASCII letters, digits and `_`; rename it `{better}`")
                } else {
                    "type names use ASCII letters, digits and `_`, starting with a letter".to_owned()
                };
                Self::hint(d, hint);
            }
        }
        false
    }

    fn build_fields(&mut self, tpath: &str, fields: &indexmap::IndexMap<String, spec::Field>) -> Vec<FieldModel> {
        let mut out: Vec<FieldModel> = Vec::with_capacity(fields.len());
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (wire, f) in fields {
            // The field's YAML path, built only for a diagnostic.
            let path = || format!("{tpath}.fields.{wire}");
            let ident = self.ident_for(
                (&path, &|| format!("{}.rust_name", path())),
                wire,
                f.rust_name.as_deref(),
                &mut seen,
                "field",
            );
            let ty = self.resolve(&f.ty, || format!("{}.type", path()));
            if let Some(dep) = &f.deprecated {
                self.check_deprecation(&path(), &format!("field `{wire}`"), dep);
            }
            if let Some(key) = &f.wrapper {
                let module = super::names::wrapper_module_name(key);
                if !super::names::is_ascii_identifier(&module) || module.ends_with('_') {
                    let d = self.error(
                        format!("{}.wrapper", path()),
                        format!(
                            "the wrapper key `{}` cannot name its helper module (`{module}` is not an identifier)",
                            key.escape_debug()
                        ),
                    );
                    Self::hint(
                        d,
                        "wrapper keys are the vendor's element names (`Snapshot`, `Tag`): ASCII letters, digits and `_`, not empty",
                    );
                }
                if !matches!(ty, Some(Ty::Array(_)) | None) {
                    let d = self.error(format!("{}.wrapper", path()), "`wrapper` applies to array fields only");
                    Self::hint(d, "remove `wrapper`, or make the type `array<...>`");
                }
                if f.required {
                    let d = self.error(format!("{}.wrapper", path()), "wrapped lists must be optional");
                    Self::hint(d, "remove `required: true`; vendors omit empty wrapped lists");
                }
            }
            let resolved = ty.clone().unwrap_or(Ty::Json);
            let lenient = self.field_lenient(&path, f, ty.as_ref());
            let timestamp = f.format == Some(spec::FieldFormat::Timestamp);
            if timestamp && !matches!(ty, Some(Ty::String) | None) {
                let d = self.error(
                    format!("{}.format", path()),
                    "`format: timestamp` applies to `string` fields only",
                );
                Self::hint(
                    d,
                    "keep the type `string` (the accessor parses it), or remove `format`; epoch milliseconds sent as numbers are read by `lenient: true`",
                );
            }
            out.push(FieldModel {
                wire: wire.clone(),
                ident,
                // An unresolved type was reported; `json` keeps later checks
                // (examples, unknown fields) from piling up after it.
                ty: ty.unwrap_or(Ty::Json),
                optional: !f.required || f.nullable,
                docs: f.docs.clone(),
                deprecated: f.deprecated.clone(),
                wrapper: f.wrapper.clone(),
                wrapper_module: f.wrapper.as_deref().map(super::names::wrapper_module_name),
                example: f.example.clone(),
                lenient: lenient && resolved.is_lenient_capable(),
                timestamp,
            });
        }
        out
    }

    /// The effective `lenient` of a field: its own setting, checked, else the
    /// service default (which applies to the scalar fields only).
    fn field_lenient(&mut self, path: &dyn Fn() -> String, f: &spec::Field, ty: Option<&Ty>) -> bool {
        match f.lenient {
            Some(true) => {
                if ty.is_some_and(|t| !t.is_lenient_capable()) {
                    let d = self.error(
                        format!("{}.lenient", path()),
                        format!(
                            "`lenient` applies to scalar fields and arrays of scalars, not `{}`",
                            f.ty
                        ),
                    );
                    Self::hint(
                        d,
                        "remove `lenient`; objects and enums are read as they are (enums are open already)",
                    );
                    return false;
                }
                if f.wrapper.is_some() {
                    let d = self.error(
                        format!("{}.lenient", path()),
                        "`lenient` cannot be combined with `wrapper`",
                    );
                    Self::hint(d, "remove `lenient` from the wrapped list");
                    return false;
                }
                true
            }
            Some(false) => false,
            None => self.spec.service.lenient_scalars && f.wrapper.is_none(),
        }
    }

    /// Decide and check a snake_case identifier; `seen` maps identifiers to
    /// the wire name that took them, to report collisions. `paths` give the
    /// YAML paths of the wire name and of the `rust_name` override (built
    /// only for a diagnostic).
    pub(super) fn ident_for<'w>(
        &mut self,
        paths: (&dyn Fn() -> String, &dyn Fn() -> String),
        wire: &'w str,
        over: Option<&str>,
        seen: &mut HashMap<String, &'w str>,
        what: &str,
    ) -> String {
        let (path, over_path) = paths;
        let (name, checked, at): (String, _, &dyn Fn() -> String) = match over {
            Some(o) => (o.to_owned(), snake_identifier(o).map(Some), over_path),
            None => {
                let name = field_name(wire);
                let checked = match raw_identifier(&name) {
                    Ok(false) => Ok(None),
                    Ok(true) => Ok(Some(format!("r#{name}"))),
                    Err(p) => Err(p),
                };
                (name, checked, path)
            }
        };
        // `None`: the name as it is.
        let ident = match checked {
            Ok(Some(i)) => i,
            Ok(None) => name,
            Err(p) => {
                let message = match (&p, wire.is_empty()) {
                    (NameProblem::Empty, true) => format!("{what} with an empty name"),
                    _ => format!("{what} `{wire}`: {}", p.explain(&name)),
                };
                let d = self.error(at(), message);
                let example = match field_name(wire) {
                    f if identifier(&f).is_ok() && f != name => f,
                    _ => "item_count".to_owned(),
                };
                Self::hint(d, name_hint(&p, &name, "snake_case", &example));
                return name;
            }
        };
        if let Some(first) = seen.get(&ident) {
            let d = self.error(
                path(),
                format!("{what} `{wire}` and `{first}` both become the Rust name `{ident}`"),
            );
            Self::hint(
                d,
                format!(
                    "set `rust_name` on one of them, e.g. `{}_2`",
                    ident.trim_start_matches("r#")
                ),
            );
        } else {
            seen.insert(ident.clone(), wire);
        }
        ident
    }

    fn build_enum(&mut self, tpath: &str, values: &[spec::EnumValue], ci: bool) -> Vec<EnumValueModel> {
        let mut out = Vec::new();
        let mut by_ident: HashMap<String, String> = HashMap::new();
        let mut by_wire: HashMap<String, (String, usize)> = HashMap::new();
        if values.is_empty() {
            let d = self.error(format!("{tpath}.values"), "an enum needs at least one value");
            Self::hint(d, "list the values the document gives, or use `string`");
        } else if values.len() == 1 {
            let d = self.warn(format!("{tpath}.values"), "enum with a single value");
            Self::hint(
                d,
                "check the document for other values; a plain `string` may fit better",
            );
        }
        for (i, v) in values.iter().enumerate() {
            // YAML paths, built only for a diagnostic.
            let path = || format!("{tpath}.values[{i}]");
            let folded = if ci {
                v.value.to_ascii_lowercase()
            } else {
                v.value.clone()
            };
            if let Some((first, at)) = by_wire.get(&folded) {
                let message = if *first == v.value {
                    format!("duplicate enum value `{}`", v.value)
                } else {
                    format!(
                        "duplicate enum value `{}`: the enum ignores case and already has `{first}`",
                        v.value
                    )
                };
                let d = self.error(format!("{}.value", path()), message);
                Self::hint(d, format!("already listed at values[{at}]; remove one of them"));
                continue;
            }
            by_wire.insert(folded, (v.value.clone(), i));
            let name = v.rust_name.clone().unwrap_or_else(|| type_name(&v.value));
            let at = || {
                if v.rust_name.is_some() {
                    format!("{}.rust_name", path())
                } else {
                    format!("{}.value", path())
                }
            };
            if let Err(p) = type_identifier(&name) {
                let d = self.error(at(), format!("enum value `{}`: {}", v.value, p.explain(&name)));
                Self::hint(d, name_hint(&p, &name, "UpperCamelCase", "V0` or `Manual"));
            } else if name == "Unknown" {
                let d = self.error(
                    at(),
                    format!(
                        "enum value `{}` becomes the variant `Unknown`, which holds values the spec does not know",
                        v.value
                    ),
                );
                Self::hint(d, "set `rust_name`, e.g. `UnknownValue`");
            }
            if let Some(first) = by_ident.get(&name) {
                let d = self.error(
                    at(),
                    format!(
                        "enum values `{}` and `{first}` both become the variant `{name}`",
                        v.value
                    ),
                );
                Self::hint(d, "set `rust_name` on one of them");
            } else {
                by_ident.insert(name.clone(), v.value.clone());
            }
            if let Some(dep) = &v.deprecated {
                self.check_deprecation(&path(), &format!("enum value `{}`", v.value), dep);
            }
            out.push(EnumValueModel {
                wire: v.value.clone(),
                ident: name,
                docs: v.docs.clone(),
                deprecated: v.deprecated.clone(),
            });
        }
        out
    }

    pub(super) fn check_deprecation(&mut self, path: &str, what: &str, dep: &spec::Deprecation) {
        match (&dep.replacement, dep.no_replacement) {
            (None, false) => {
                let d = self.warn(
                    format!("{path}.deprecated"),
                    format!("{what} is deprecated without a replacement"),
                );
                Self::hint(
                    d,
                    "set `replacement` if the document names one, or `no_replacement: true` if it names none",
                );
            }
            (Some(_), true) => {
                let d = self.error(
                    format!("{path}.deprecated.no_replacement"),
                    format!("{what} names a `replacement` and says `no_replacement: true`"),
                );
                Self::hint(d, "keep one of the two");
            }
            _ => {}
        }
    }

    pub(super) fn check_type_names(&mut self, types: &[TypeModel]) {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for t in types {
            if let Some(first) = seen.get(t.rust_name.as_str()) {
                let d = self.error(
                    format!("types.{}", t.key),
                    format!(
                        "types `{}` and `{first}` both become the Rust type `{}`",
                        t.key, t.rust_name
                    ),
                );
                Self::hint(d, "rename one, or set `rust_name`");
            } else {
                seen.insert(&t.rust_name, &t.key);
            }
        }
    }

    /// Field examples must be values of the field's type.
    pub(super) fn check_field_examples(&mut self, types: &[TypeModel]) {
        for t in types {
            let TypeKind::Object { fields } = &t.kind else {
                continue;
            };
            for f in fields {
                let Some(example) = &f.example else { continue };
                let mut problems = Vec::new();
                values::check(types, &f.ty, example, "$", &mut problems);
                for msg in problems {
                    let d = self.error(
                        format!("types.{}.fields.{}.example", t.key, f.wire),
                        format!("example of `{}` does not match its type: {}", f.wire, values::top(&msg)),
                    );
                    Self::hint(d, "fix the example, or the field's type");
                }
            }
        }
    }
}
