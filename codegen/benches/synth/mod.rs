//! Synthetic specs for the scaling benchmark, built programmatically.
//!
//! [`spec_yaml`] writes the YAML text of one service with `n` operations,
//! shaped like the transcribed specs: every operation has path, query, header
//! and (for POST/PUT) body parameters of mixed kinds with constraints, a
//! response type with nested struct, array, map, recursive and list-wrapper
//! fields, its own enum, an error-code table, pagination (list operations),
//! and a request and response example that match the types. One erratum per
//! ten operations. Types and enum values grow in proportion to `n` (five
//! named types and eight enum values per operation, plus two shared types).
//!
//! The text goes through the real loader, so the benchmark measures every
//! stage the way `build.rs` runs it. `codegen/tests/synth.rs` checks that the
//! output is a valid spec with exactly these counts.

use std::fmt::Write as _;

/// Named types per operation (response, item, detail, spec, status enum).
#[allow(dead_code)] // read by codegen/tests/synth.rs, not by the benchmark
pub const TYPES_PER_OP: usize = 5;
/// Types shared by all operations (`Region`, `Tag`).
#[allow(dead_code)] // read by codegen/tests/synth.rs, not by the benchmark
pub const SHARED_TYPES: usize = 2;
/// Values of each operation's status enum.
pub const STATUS_VALUES: &[&str] = &["creating", "available", "error", "deleting", "restoring", "frozen"];
/// Values of the shared `Region` enum.
pub const REGIONS: &[&str] = &["cn-north-4", "ap-southeast-1", "eu-west-101"];

const NOUNS: &[&str] = &[
    "Backup", "Snapshot", "Vault", "Policy", "Volume", "Cluster", "Index", "Replica",
];

/// The four operation shapes, cycled: list, show, create, update.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Show,
    Create,
    Update,
}

impl Kind {
    fn of(i: usize) -> Kind {
        [Kind::List, Kind::Show, Kind::Create, Kind::Update][i % 4]
    }
    fn verb(self) -> &'static str {
        match self {
            Kind::List => "List",
            Kind::Show => "Show",
            Kind::Create => "Create",
            Kind::Update => "Update",
        }
    }
    fn method(self) -> &'static str {
        match self {
            Kind::List | Kind::Show => "GET",
            Kind::Create => "POST",
            Kind::Update => "PUT",
        }
    }
    fn has_id(self) -> bool {
        matches!(self, Kind::Show | Kind::Update)
    }
    fn has_body(self) -> bool {
        matches!(self, Kind::Create | Kind::Update)
    }
}

/// Parameters an operation of `i` has (for the counts test).
#[allow(dead_code)] // read by codegen/tests/synth.rs, not by the benchmark
pub fn params_of(i: usize) -> usize {
    let k = Kind::of(i);
    // project_id + X-Client-Token, then per kind.
    2 + usize::from(k.has_id()) + if k == Kind::List { 4 } else { 0 } + if k.has_body() { 5 } else { 0 }
}

/// YAML text of a synthetic service with `n` operations.
pub fn spec_yaml(n: usize) -> String {
    let mut y = String::with_capacity(n * 9_000);
    y.push_str(
        "service:\n  id: synth\n  vendor: bench\n  title: Synthetic backup service\n  \
         docs: A generated spec for measuring the generator; shaped like the transcribed ones.\n  \
         source: synthetic.md\n  protocol: rest_json\n  endpoints:\n    \
         - template: \"https://synth.{region}.example.com\"\n      docs: Regional endpoint.\n  \
         auth: [huawei_aksk, huawei_token]\n  error_envelope: huawei\n\noperations:\n",
    );
    for i in 0..n {
        operation(&mut y, i);
    }
    y.push_str("\ntypes:\n");
    shared_types(&mut y);
    for i in 0..n {
        op_types(&mut y, i);
    }
    y.push_str("\nerrata:\n");
    for i in (0..n).step_by(10) {
        let _ = write!(
            y,
            "  - kind: erratum\n    at: operations.{op}.parameters[0]\n    \
             document: The table gives `project_id` no format; the example shows 32 hex digits.\n    \
             resolution: Added the pattern `^[0-9a-f]{{32}}$` the example and the other operations use.\n",
            op = op_id(i)
        );
    }
    y
}

/// Operation id of operation `i` (`ListBackup0`, `ShowSnapshot1`, ...).
pub fn op_id(i: usize) -> String {
    format!("{}{}{i}", Kind::of(i).verb(), NOUNS[i % NOUNS.len()])
}

fn lower_noun(i: usize) -> String {
    NOUNS[i % NOUNS.len()].to_ascii_lowercase()
}

fn operation(y: &mut String, i: usize) {
    let k = Kind::of(i);
    let id = op_id(i);
    let noun = lower_noun(i);
    let id_param = format!("{noun}_id");
    let path = if k.has_id() {
        format!("/v2/{{project_id}}/{noun}s{i}/{{{id_param}}}")
    } else {
        format!("/v2/{{project_id}}/{noun}s{i}")
    };
    let _ = write!(
        y,
        "  {id}:\n    docs: |-\n      {verb} {noun} resources of group {i}.\n      \
         The second line of the description says which fields the response holds and how\n      \
         they relate to the request; real documents are wordier than this.\n    \
         method: {method}\n    path: \"{path}\"\n    parameters:\n      \
         - name: project_id\n        in: path\n        type: string\n        required: true\n        \
         docs: Project ID.\n        example: 4229d7a45436489f8c3dc2b1d35d4987\n        \
         constraints: {{ pattern: '^[0-9a-f]{{32}}$' }}\n",
        verb = k.verb(),
        method = k.method(),
    );
    if k.has_id() {
        let _ = write!(
            y,
            "      - name: {id_param}\n        in: path\n        type: string\n        required: true\n        \
             docs: The {noun} ID.\n        constraints: {{ min_length: 1, max_length: 64 }}\n"
        );
    }
    if k == Kind::List {
        let _ = write!(
            y,
            "      - name: limit\n        in: query\n        type: int32\n        docs: Page size.\n        \
             default: 100\n        example: 10\n        constraints: {{ minimum: 1, maximum: 1000 }}\n      \
             - name: marker\n        in: query\n        type: string\n        docs: ID of the last item of the previous page.\n      \
             - name: status\n        in: query\n        type: {id}Status\n        docs: Only items in this status.\n      \
             - name: tags\n        in: query\n        type: array<string>\n        encoding: comma\n        \
             docs: Only items with all of these tags.\n        constraints: {{ max_items: 20 }}\n"
        );
    }
    let _ = write!(
        y,
        "      - name: X-Client-Token\n        in: header\n        type: string\n        \
         docs: Idempotency token.\n        constraints: {{ max_length: 64 }}\n"
    );
    if k.has_body() {
        let _ = write!(
            y,
            "      - name: name\n        in: body\n        type: string\n        required: true\n        \
             docs: Name of the {noun}.\n        example: daily\n        \
             constraints: {{ min_length: 1, max_length: 64, pattern: '^[a-zA-Z][a-zA-Z0-9_-]*$' }}\n      \
             - name: description\n        in: body\n        type: string\n        docs: Free text.\n        \
             constraints: {{ max_length: 255 }}\n      \
             - name: spec\n        in: body\n        type: {id}Spec\n        docs: Settings.\n      \
             - name: labels\n        in: body\n        type: map<string>\n        docs: Labels by key.\n      \
             - name: replicas\n        in: body\n        type: int32\n        docs: Number of replicas.\n        \
             constraints: {{ minimum: 0, maximum: 10 }}\n"
        );
    }
    let _ = write!(
        y,
        "    response:\n      status: {status}\n      type: {id}Response\n      docs: The result.\n    \
         status_codes:\n      - {{ status: {status}, name: OK, docs: OK }}\n      \
         - {{ status: 404, name: NotFound, docs: No such {noun}. }}\n    errors:\n      \
         - {{ status: 400, code: \"SYN.{i:05}01\", message: Invalid parameter., docs: A parameter is out of range. }}\n      \
         - {{ status: 404, code: \"SYN.{i:05}02\", message: Not found., docs: The {noun} does not exist. }}\n      \
         - {{ status: 409, code: \"SYN.{i:05}03\", message: Conflict., docs: The {noun} is busy. }}\n",
        status = if k == Kind::Create { 201 } else { 200 },
    );
    if k == Kind::List {
        y.push_str(
            "    pagination:\n      - { style: next_token, token_param: marker, token_field: next_marker, \
             page_size: limit, items: items }\n",
        );
    }
    example(y, i, k, &path, &id_param);
}

fn example(y: &mut String, i: usize, k: Kind, template: &str, id_param: &str) {
    let project = "4229d7a45436489f8c3dc2b1d35d4987";
    let item_id = format!("6df2b54c-dd62-4059-a07c-{i:012}");
    let wire_path = template
        .replace("{project_id}", project)
        .replace(&format!("{{{id_param}}}"), &item_id);
    let _ = write!(
        y,
        "    examples:\n      - name: document\n        docs: Example from the document.\n        \
         request:\n          params:\n            project_id: {project}\n            X-Client-Token: tok-{i}\n"
    );
    if k.has_id() {
        let _ = writeln!(y, "            {id_param}: {item_id}");
    }
    if k == Kind::List {
        y.push_str(
            "            limit: 10\n            marker: m-1\n            status: available\n            tags: [a, b]\n",
        );
    }
    if k.has_body() {
        y.push_str(
            "            name: daily\n            spec: { retention_days: 7, region: cn-north-4, paused: false }\n            \
             labels: { team: storage }\n            replicas: 2\n",
        );
    }
    let _ = write!(y, "          method: {}\n          path: {wire_path}\n", k.method());
    if k == Kind::List {
        y.push_str("          query: { limit: \"10\", marker: m-1, status: available, tags: \"a,b\" }\n");
    }
    let _ = writeln!(y, "          headers: {{ X-Client-Token: tok-{i} }}");
    if k.has_body() {
        y.push_str(
            "          body: '{\"name\":\"daily\",\"spec\":{\"retention_days\":7,\"region\":\"cn-north-4\",\"paused\":false},\
             \"labels\":{\"team\":\"storage\"},\"replicas\":2}'\n",
        );
    }
    let item = item_json(i, &item_id);
    let body = if k == Kind::List {
        format!("{{\"items\": [{item}], \"total_count\": 1, \"next_marker\": null, \"request_id\": \"req-{i}\"}}")
    } else {
        format!("{{\"item\": {item}, \"request_id\": \"req-{i}\"}}")
    };
    let _ = write!(
        y,
        "        response:\n          status: {}\n          body: |\n            {body}\n",
        if k == Kind::Create { 201 } else { 200 }
    );
}

fn item_json(i: usize, id: &str) -> String {
    let status = STATUS_VALUES[i % STATUS_VALUES.len()];
    let detail = "{\"progress\": 100, \"shards\": {\"0\": 12, \"1\": 9}, \"extra\": {\"any\": [1, \"x\"]}, \
                  \"notes\": [\"first\"], \"zone\": null, \"snapshots\": {\"Snapshot\": [\"s-1\", \"s-2\"]}}";
    let child = format!(
        "{{\"id\": \"{id}-c\", \"status\": \"{status}\", \"children\": [], \"tags\": [{{\"key\": \"env\", \"value\": \"prod\"}}]}}"
    );
    format!(
        "{{\"id\": \"{id}\", \"name\": \"item-{i}\", \"status\": \"{status}\", \"type\": \"full\", \
         \"size_gb\": 40, \"ratio\": 0.75, \"encrypted\": true, \"region\": \"cn-north-4\", \
         \"tags\": [{{\"key\": \"env\", \"value\": \"prod\"}}], \"labels\": {{\"team\": \"storage\"}}, \
         \"detail\": {detail}, \"children\": [{child}], \"created_at\": \"2019-05-10T07:59:12.084695\"}}"
    )
}

fn shared_types(y: &mut String) {
    y.push_str("  Region:\n    docs: Region of a resource.\n    values:\n");
    for r in REGIONS {
        let _ = writeln!(y, "      - {{ value: {r}, docs: Region {r}. }}");
    }
    y.push_str(
        "  Tag:\n    docs: A resource tag.\n    fields:\n      \
         key: { type: string, required: true, docs: Tag key., example: env }\n      \
         value: { type: string, docs: Tag value., example: prod }\n",
    );
}

fn op_types(y: &mut String, i: usize) {
    let k = Kind::of(i);
    let id = op_id(i);
    let noun = lower_noun(i);
    if k == Kind::List {
        let _ = write!(
            y,
            "  {id}Response:\n    docs: Response body of {id}.\n    fields:\n      \
             items: {{ type: array<{id}Item>, docs: The page of items. }}\n      \
             total_count: {{ type: integer, docs: Number of items over all pages., example: 1 }}\n      \
             next_marker: {{ type: string, nullable: true, docs: Marker of the next page; null on the last page. }}\n      \
             request_id: {{ type: string, docs: Request ID. }}\n"
        );
    } else {
        let _ = write!(
            y,
            "  {id}Response:\n    docs: Response body of {id}.\n    fields:\n      \
             item: {{ type: {id}Item, required: true, docs: The {noun}. }}\n      \
             request_id: {{ type: string, docs: Request ID. }}\n"
        );
    }
    let _ = write!(
        y,
        "  {id}Item:\n    docs: One {noun} (table {i}).\n    fields:\n      \
         id: {{ type: string, required: true, docs: ID., example: 6df2b54c-dd62-4059-a07c-1b8f24f2725d }}\n      \
         name: {{ type: string, docs: Name., example: item }}\n      \
         status: {{ type: {id}Status, docs: Status., example: available }}\n      \
         type: {{ type: string, docs: Backup type (`full` or `incremental`)., example: full }}\n      \
         size_gb: {{ type: integer, docs: Size in GB., example: 40 }}\n      \
         ratio: {{ type: number, docs: Compression ratio. }}\n      \
         encrypted: {{ type: boolean, docs: Whether the data is encrypted. }}\n      \
         region: {{ type: Region, docs: Where it lives. }}\n      \
         tags: {{ type: array<Tag>, docs: Tags. }}\n      \
         labels: {{ type: map<string>, docs: Labels by key. }}\n      \
         detail: {{ type: {id}Detail, docs: Details. }}\n      \
         children: {{ type: array<{id}Item>, docs: Child items (same shape). }}\n      \
         created_at: {{ type: string, docs: Creation time., example: \"2019-05-10T07:59:12.084695\" }}\n      \
         legacy_flag:\n        type: boolean\n        docs: Old flag.\n        \
         deprecated: {{ note: Ignored since 2021., replacement: encrypted }}\n"
    );
    let _ = write!(
        y,
        "  {id}Detail:\n    docs: Extended information of one {noun}.\n    fields:\n      \
         progress: {{ type: int32, docs: Progress in percent., example: 100 }}\n      \
         shards: {{ type: map<integer>, docs: 'Documents per shard id (`\"0\"`, `\"1\"`).' }}\n      \
         extra: {{ type: json, docs: Vendor-specific data. }}\n      \
         notes: {{ type: array<string>, docs: Notes. }}\n      \
         zone: {{ type: string, nullable: true, docs: Availability zone. }}\n      \
         snapshots: {{ type: array<string>, wrapper: Snapshot, docs: Snapshot IDs (an Alibaba-style list wrapper). }}\n"
    );
    let _ = write!(
        y,
        "  {id}Spec:\n    docs: Settings of one {noun}.\n    standalone: {standalone}\n    fields:\n      \
         retention_days: {{ type: int32, required: true, docs: Days to keep., example: 7 }}\n      \
         region: {{ type: Region, docs: Region. }}\n      \
         paused: {{ type: boolean, docs: Whether the schedule is paused. }}\n",
        standalone = !k.has_body()
    );
    let _ = write!(y, "  {id}Status:\n    docs: Status of a {noun}.\n    values:\n");
    for v in STATUS_VALUES {
        let _ = writeln!(y, "      - {{ value: {v}, docs: The {noun} is {v}. }}");
    }
    // Two more values per operation with names that need care: a digit-led
    // value and one whose derived variant name differs from its wire form.
    let _ = writeln!(y, "      - {{ value: \"0\", rust_name: V0, docs: Legacy code 0. }}");
    let _ = writeln!(y, "      - {{ value: OS::Nova::Server, docs: Server backup. }}");
}
