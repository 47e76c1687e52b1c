//! The output type naming rule of `specs/README.md` ("Output type names"),
//! checked on every shipped spec: an operation's output is
//! `{OperationId}Response`, or (the argued exception) a resource type whose
//! name is not derived from any operation; no type is named `...Output`.

use std::path::Path;

use cloudsnap_codegen::model::Ty;

#[test]
fn outputs_are_named_operation_response_or_after_their_resource() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let files = cloudsnap_codegen::spec_files(&[dir]);
    assert!(!files.is_empty());
    for spec in files {
        let g = cloudsnap_codegen::generate_file(&spec).unwrap_or_else(|d| panic!("{}: {d:?}", spec.display()));
        let model = &g.model;
        let ids: Vec<&str> = model.operations.iter().map(|o| o.id.as_str()).collect();
        for t in &model.types {
            for suffix in ["Output", "Result", "Body"] {
                assert!(
                    !t.rust_name.ends_with(suffix),
                    "{}: type {}",
                    spec.display(),
                    t.rust_name
                );
            }
        }
        for op in &model.operations {
            let Some(Ty::Named(i)) = &op.output else { continue };
            let name = model.type_name(*i);
            let rule = format!("{}Response", op.id);
            if name == rule {
                continue;
            }
            // The exception: a resource's own name, which no operation's
            // `{Id}Response` or `{Id}Request` is.
            assert!(
                !name.ends_with("Response") && !ids.iter().any(|id| name.starts_with(id)),
                "{}: {} answers with {name}; the rule says {rule}",
                spec.display(),
                op.id
            );
        }
    }
}
