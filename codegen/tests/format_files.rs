//! `format_files` prints several files of parts in one pool of threads
//! (what `generate` does with the module and its tests): each file must be
//! the bytes of printing its parts one after the other on one thread, for
//! any thread count, and `compact_into` must append what `compact` returns.

#[path = "../benches/synth/mod.rs"]
mod synth;

use std::path::Path;

use cloudsnap_codegen::{compact, compact_into, emit, format, format_files, Layout};

#[test]
fn files_printed_together_match_each_file_printed_alone() {
    let text = synth::spec_yaml(60);
    let loaded = cloudsnap_codegen::load::load_str(Path::new("synthetic.yaml"), &text).expect("loads");
    let model = cloudsnap_codegen::model::build(&loaded).expect("valid");
    let files: [(usize, cloudsnap_codegen::format::PartFn); 2] = [
        (emit::part_count(&model), emit::module_part),
        (model.operations.len(), emit::tests::operation_part),
    ];
    for layout in [Layout::Compact, Layout::Pretty] {
        let alone: Vec<String> = files
            .iter()
            .map(|&(count, part)| {
                (0..count)
                    .map(|i| match layout {
                        Layout::Pretty => format(part(&model, i)).expect("formats"),
                        Layout::Compact => compact(part(&model, i)),
                    })
                    .collect()
            })
            .collect();
        for threads in [1, 2, 3, 7] {
            let together = format_files(&model, &files, threads, layout).expect("formats");
            assert_eq!(together.len(), 2);
            for (f, (a, b)) in alone.iter().zip(&together).enumerate() {
                assert!(a == b, "{layout:?}, {threads} threads: file {f} differs");
            }
        }
    }
}

#[test]
fn compact_into_appends_what_compact_returns() {
    let text = synth::spec_yaml(2);
    let loaded = cloudsnap_codegen::load::load_str(Path::new("synthetic.yaml"), &text).expect("loads");
    let model = cloudsnap_codegen::model::build(&loaded).expect("valid");
    let mut out = String::from("// before\n");
    let mut expected = out.clone();
    for i in 0..emit::part_count(&model) {
        compact_into(emit::module_part(&model, i), &mut out);
        expected.push_str(&compact(emit::module_part(&model, i)));
    }
    // An empty part is one empty line, as `compact` prints it.
    compact_into(proc_macro2::TokenStream::new(), &mut out);
    expected.push_str(&compact(proc_macro2::TokenStream::new()));
    assert!(expected.ends_with("}\n\n"), "an empty part prints a newline");
    assert!(out == expected);
}
