//! An OpenAPI 3.0 document equivalent to a cloudsnap spec, for progenitor.
//!
//! Converted from the raw spec the cloudsnap loader produced from the same
//! YAML text, so both generators see the same API: every operation (method,
//! path, `operationId`), every parameter with its location, `required`,
//! type, constraints, default and docs (body parameters become a JSON
//! request body object), the success response type, the error responses
//! (each status with a shared error schema, as cloudsnap's error envelope),
//! every named type (objects with required/nullable/deprecated fields,
//! arrays, maps, free JSON; string enums with their values) and the docs.
//! What OpenAPI has no words for (examples as request/response pairs,
//! pagination, errata) is left out; cloudsnap generates more from it.

use cloudsnap_codegen::spec::{Constraints, Location, Spec};
use serde_json::{json, Map, Value};

/// The schema of a cloudsnap type expression (`string`, `int32`,
/// `array<T>`, `map<T>`, a type name).
fn schema(ty: &str) -> Value {
    let ty = ty.trim();
    if let Some(inner) = ty.strip_prefix("array<").and_then(|t| t.strip_suffix('>')) {
        return json!({ "type": "array", "items": schema(inner) });
    }
    if let Some(inner) = ty.strip_prefix("map<").and_then(|t| t.strip_suffix('>')) {
        return json!({ "type": "object", "additionalProperties": schema(inner) });
    }
    match ty {
        "string" => json!({ "type": "string" }),
        "integer" => json!({ "type": "integer", "format": "int64" }),
        "int32" => json!({ "type": "integer", "format": "int32" }),
        "number" => json!({ "type": "number", "format": "double" }),
        "boolean" => json!({ "type": "boolean" }),
        "json" => json!({}),
        name => json!({ "$ref": format!("#/components/schemas/{name}") }),
    }
}

/// Adds constraints (and a default) to a schema; a `$ref` is wrapped in
/// `allOf` first, as OpenAPI 3.0 ignores siblings of `$ref`.
fn constrained(mut s: Value, c: Option<&Constraints>, default: Option<Value>, docs: Option<&str>) -> Value {
    let has_extra = c.is_some() || default.is_some() || docs.is_some();
    if has_extra && s.get("$ref").is_some() {
        s = json!({ "allOf": [s] });
    }
    let Value::Object(m) = &mut s else { return s };
    if let Some(c) = c {
        let put = |m: &mut Map<String, Value>, k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_owned(), v);
            }
        };
        put(m, "minLength", c.min_length.map(Value::from));
        put(m, "maxLength", c.max_length.map(Value::from));
        put(m, "pattern", c.pattern.clone().map(Value::from));
        put(m, "minimum", c.minimum.map(Value::from));
        put(m, "maximum", c.maximum.map(Value::from));
        put(m, "minItems", c.min_items.map(Value::from));
        put(m, "maxItems", c.max_items.map(Value::from));
    }
    if let Some(d) = default {
        m.insert("default".to_owned(), d);
    }
    if let Some(d) = docs {
        m.insert("description".to_owned(), d.into());
    }
    s
}

/// The OpenAPI 3.0 document of `spec`, as JSON text.
pub fn document(spec: &Spec) -> String {
    let mut paths: Map<String, Value> = Map::new();
    for (id, op) in &spec.operations {
        let mut params = Vec::new();
        let mut body_props = Map::new();
        let mut body_required = Vec::new();
        for p in &op.parameters {
            let s = constrained(schema(&p.ty), p.constraints.as_ref(), p.default.clone(), None);
            match p.location {
                Location::Body => {
                    let s = constrained(s, None, None, p.docs.as_deref());
                    body_props.insert(p.name.clone(), s);
                    if p.required {
                        body_required.push(Value::from(p.name.clone()));
                    }
                }
                loc => {
                    let place = match loc {
                        Location::Path => "path",
                        Location::Query => "query",
                        _ => "header",
                    };
                    let mut param = json!({
                        "name": p.name,
                        "in": place,
                        "required": p.required || loc == Location::Path,
                        "schema": s,
                    });
                    if let Some(d) = &p.docs {
                        param["description"] = d.clone().into();
                    }
                    if p.deprecated.is_some() {
                        param["deprecated"] = true.into();
                    }
                    params.push(param);
                }
            }
        }
        let mut responses = Map::new();
        let mut ok = json!({ "description": op.response.docs.clone().unwrap_or_else(|| "OK".to_owned()) });
        if let Some(ty) = &op.response.ty {
            ok["content"] = json!({ "application/json": { "schema": schema(ty) } });
        }
        responses.insert(op.response.status.to_string(), ok);
        for e in &op.errors {
            responses.entry(e.status.to_string()).or_insert_with(|| {
                json!({
                    "description": e.docs.clone().unwrap_or_else(|| e.code.clone()),
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
                })
            });
        }
        let mut operation = json!({
            "operationId": id,
            "description": op.docs,
            "parameters": params,
            "responses": responses,
        });
        if !body_props.is_empty() {
            operation["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "properties": body_props,
                    "required": body_required,
                } } },
            });
        }
        let item = paths.entry(op.path.clone()).or_insert_with(|| json!({}));
        item[op.method.as_str().to_ascii_lowercase()] = operation;
    }

    let mut schemas = Map::new();
    schemas.insert(
        "Error".to_owned(),
        json!({
            "description": "Error body (the service's error envelope).",
            "type": "object",
            "properties": {
                "error_code": { "type": "string", "description": "Error code." },
                "error_msg": { "type": "string", "description": "Error message." },
            },
        }),
    );
    for (name, t) in &spec.types {
        let mut s = if let Some(values) = &t.values {
            json!({
                "type": "string",
                "enum": values.iter().map(|v| Value::from(v.value.clone())).collect::<Vec<_>>(),
            })
        } else {
            let mut props = Map::new();
            let mut required = Vec::new();
            for (wire, f) in t.fields.iter().flatten() {
                let mut s = constrained(schema(&f.ty), None, None, f.docs.as_deref());
                if f.nullable {
                    s["nullable"] = true.into();
                }
                if f.deprecated.is_some() {
                    s["deprecated"] = true.into();
                }
                props.insert(wire.clone(), s);
                if f.required {
                    required.push(Value::from(wire.clone()));
                }
            }
            let mut o = json!({ "type": "object", "properties": props });
            if !required.is_empty() {
                o["required"] = required.into();
            }
            o
        };
        if let Some(d) = &t.docs {
            s["description"] = d.clone().into();
        }
        schemas.insert(name.clone(), s);
    }

    let doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": spec.service.title,
            "description": spec.service.docs,
            "version": "1.0.0",
        },
        "servers": spec.service.endpoints.iter().map(|e| json!({ "url": e.template })).collect::<Vec<_>>(),
        "paths": paths,
        "components": { "schemas": schemas },
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
