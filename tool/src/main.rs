//! `cloudsnap`: the operator's command line for cloudsnap's generated
//! clients. `cloudsnap services` lists what it can call, `cloudsnap call
//! SERVICE OPERATION` calls any operation with parameters by wire or Rust
//! name and prints the typed response as JSON; `list`, `describe` and
//! `wait` show snapshots and backups of any service as one normalized
//! summary (state, size, progress, ...), through the generated resources. Credentials and endpoints
//! come as the generated clients take them (`Client::from_env`, the
//! `CLOUDSNAP_<VENDOR>_<SERVICE>_ENDPOINT` override the mock server prints,
//! `--endpoint`, `--region`/`CLOUDSNAP_REGION`).

/// `println!` that ignores a closed stdout (`cloudsnap list | head`), where
/// `println!` would panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod lifecycle;
mod output;
mod params;
mod services;

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use cloudsnap::client::{ClientConfig, DynCallError, DynService, Error, WaitOptions};
use cloudsnap::lifecycle::{SnapshotSummary, State};
use serde_json::{json, Value};

/// What a script can rely on; printed under `--help`.
const EXIT_CODES: &str = "\
Exit status:
  0  success
  1  the operation failed: an error response from the service, a snapshot
     or backup that does not exist, a transport failure or timeout of a
     request, a response that does not decode
  2  usage error: unknown service, operation or parameter, a missing or
     ill-typed parameter, a value the document's constraints refuse (nothing
     is sent), bad JSON, bad options
  3  wait: the resource reached a failure state
  4  wait: timed out before the resource reached the wanted state
  5  credentials or configuration: no credentials found, a credentials
     provider failed, the endpoint is missing or invalid

With --json, results go to stdout as JSON and so does a failure, as
{\"error\": {\"kind\", \"message\", ...}}; the message also goes to stderr.";

/// Operator's command line for cloud snapshot and backup APIs (Alibaba Cloud
/// ECS and Elasticsearch, Huawei Cloud CBR and CSS, Zilliz Cloud), built on
/// cloudsnap's generated clients.
#[derive(Debug, Parser)]
#[command(name = "cloudsnap", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
struct Global {
    /// Machine output: JSON on stdout (one document), errors as JSON too.
    #[arg(long, global = true)]
    json: bool,
    /// Send requests to this URL instead of the service's endpoint (a
    /// private endpoint, a proxy, the mock server). Without it,
    /// `CLOUDSNAP_<VENDOR>_<SERVICE>_ENDPOINT` is used if set.
    #[arg(long, global = true, value_name = "URL")]
    endpoint: Option<String>,
    /// Region for the service's endpoint template.
    #[arg(long, global = true, env = "CLOUDSNAP_REGION", value_name = "REGION")]
    region: Option<String>,
    /// Another endpoint placeholder, e.g. `instance_id=es-cn-abc` for
    /// Elasticsearch. Repeatable.
    #[arg(long = "endpoint-var", global = true, value_name = "NAME=VALUE")]
    endpoint_vars: Vec<String>,
    /// Per-attempt request timeout (`10s`, `2m`).
    #[arg(long, global = true, value_name = "DURATION", value_parser = humantime::parse_duration)]
    request_timeout: Option<Duration>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the services and their operations, or one service's operations
    /// and parameters.
    Services {
        /// A service: its feature name (`huawei-cbr`), `vendor.service`, or
        /// a unique short name (`cbr`, `zilliz`).
        service: Option<String>,
    },
    /// Call any operation by name and print its typed response as JSON.
    Call {
        /// The service (see `cloudsnap services`).
        service: String,
        /// The operation, by wire name (`DescribeSnapshots`) or Rust name
        /// (`describe_snapshots`).
        operation: String,
        #[command(flatten)]
        params: ParamArgs,
    },
    /// List the snapshots or backups of a service (every page), as a table
    /// of normalized summaries.
    List {
        /// The service (see `cloudsnap services`).
        service: String,
        #[command(flatten)]
        resource: ResourceArg,
        /// Parameters of the list operation (filters, and context such as a
        /// region or project id), by wire or Rust name.
        #[command(flatten)]
        params: ParamArgs,
    },
    /// Describe one snapshot or backup by id.
    Describe {
        /// The service (see `cloudsnap services`).
        service: String,
        /// The snapshot's or backup's id.
        id: String,
        #[command(flatten)]
        resource: ResourceArg,
        /// Parameters of the describe operation besides the id (context such
        /// as a region, project or cluster id), by wire or Rust name.
        #[command(flatten)]
        params: ParamArgs,
    },
    /// Wait until a snapshot or backup reaches a state (available by
    /// default), polling its describe operation with backoff. Exit 3 if it
    /// reaches a state that rules the target out (failed, deleting), 4 on
    /// timeout. Shows progress on stderr when it is a terminal.
    Wait {
        /// The service (see `cloudsnap services`).
        service: String,
        /// The snapshot's or backup's id.
        id: String,
        /// The state to wait for: creating, available, failed, deleting,
        /// restoring.
        #[arg(long = "for", value_name = "STATE", default_value = "available")]
        target: State,
        /// Give up after this long (`90s`, `30m`).
        #[arg(long, value_name = "DURATION", default_value_t = WaitOptions::default().max_wait.into())]
        timeout: humantime::Duration,
        /// Delay after the first poll; later delays double (with jitter) up
        /// to --max-delay.
        #[arg(long, value_name = "DURATION", default_value_t = WaitOptions::default().min_delay.into())]
        min_delay: humantime::Duration,
        /// Longest delay between polls.
        #[arg(long, value_name = "DURATION", default_value_t = WaitOptions::default().max_delay.into())]
        max_delay: humantime::Duration,
        #[command(flatten)]
        resource: ResourceArg,
        /// Parameters of the describe operation besides the id, by wire or
        /// Rust name.
        #[command(flatten)]
        params: ParamArgs,
    },
}

/// Operation parameters.
#[derive(Debug, Args)]
struct ParamArgs {
    /// A parameter by wire or Rust name. Strings are taken as they are,
    /// numbers, booleans and objects as JSON, lists as JSON or
    /// comma-separated. Repeatable (a list parameter repeated adds items).
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    param: Vec<String>,
    /// All parameters as one JSON object: inline, `@FILE`, or `@-` for
    /// stdin. `--param` adds to it.
    #[arg(long, value_name = "JSON|@FILE")]
    params_json: Option<String>,
}

/// Which resource of the service, for services that declare several.
#[derive(Debug, Args)]
struct ResourceArg {
    /// The resource (`snapshot`, `backup`); the service's first by default.
    #[arg(long, value_name = "NAME")]
    resource: Option<String>,
}

/// How a command failed, and so the exit status.
#[derive(Debug)]
enum Failure {
    /// Exit 1.
    Operation { message: String, detail: Value },
    /// Exit 2.
    Usage(String),
    /// Exit 5.
    Config(String),
    /// Exit 3 (failure state) or 4 (timed out) from `wait`, with the
    /// resource as last seen.
    State {
        code: u8,
        kind: &'static str,
        message: String,
        last: Option<Box<SnapshotSummary>>,
    },
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Operation { .. } => 1,
            Failure::Usage(_) => 2,
            Failure::Config(_) => 5,
            Failure::State { code, .. } => *code,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Failure::Operation { .. } => "operation",
            Failure::Usage(_) => "usage",
            Failure::Config(_) => "config",
            Failure::State { kind, .. } => kind,
        }
    }

    fn message(&self) -> &str {
        match self {
            Failure::Operation { message, .. }
            | Failure::Usage(message)
            | Failure::Config(message)
            | Failure::State { message, .. } => message,
        }
    }

    fn to_json(&self) -> Value {
        let mut error = json!({ "kind": self.kind(), "exit_code": self.code(), "message": self.message() });
        if let (Failure::Operation { detail, .. }, Some(map)) = (self, error.as_object_mut()) {
            if let Some(detail) = detail.as_object() {
                map.extend(detail.clone());
            }
        }
        if let (Failure::State { last, .. }, Some(map)) = (self, error.as_object_mut()) {
            map.insert(
                "last".into(),
                last.as_deref().map_or(Value::Null, lifecycle::summary_json),
            );
        }
        json!({ "error": error })
    }
}

impl From<DynCallError> for Failure {
    fn from(e: DynCallError) -> Self {
        let message = cloudsnap::runtime::error_chain(&e);
        if e.is_usage() {
            return Failure::Usage(message);
        }
        match &e {
            DynCallError::Call(call) if matches!(**call, Error::Build { .. }) => Failure::Usage(message),
            DynCallError::Call(call) if matches!(**call, Error::Credentials { .. } | Error::Sign { .. }) => {
                Failure::Config(message)
            }
            DynCallError::Call(call) => {
                let mut detail = json!({ "status": call.status(), "attempts": call.attempts() });
                if let (Some(service), Some(map)) = (call.service_error(), detail.as_object_mut()) {
                    map.insert("code".into(), json!(service.raw_code));
                    map.insert("service_message".into(), json!(service.message));
                    map.insert("request_id".into(), json!(service.request_id));
                }
                Failure::Operation { message, detail }
            }
            _ => Failure::Operation {
                message,
                detail: Value::Null,
            },
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let json = cli.global.json;
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message());
            if json {
                out!("{}", failure.to_json());
            }
            ExitCode::from(failure.code())
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Services { service } => {
            match service {
                None => output::services(&services::all(), cli.global.json),
                Some(name) => output::operations(services::find(name).map_err(Failure::Usage)?, cli.global.json),
            }
            Ok(())
        }
        Command::Call {
            service,
            operation,
            params,
        } => {
            let service = services::find(service).map_err(Failure::Usage)?;
            let op = service.operation(operation)?;
            let params = params.collect(op)?;
            let client = client(service, &cli.global)?;
            let output = service.call_json(&client, op.wire_name, params).await?;
            output::json(&output, cli.global.json);
            Ok(())
        }
        Command::List {
            service,
            resource,
            params,
        } => {
            let service = services::find(service).map_err(Failure::Usage)?;
            let resource = lifecycle::resource(service, resource.resource.as_deref())?;
            let Some(view) = resource.decl().list.as_ref() else {
                return Err(Failure::Usage(format!(
                    "{} {} has no list operation",
                    service.feature,
                    resource.name()
                )));
            };
            let params = lifecycle::view_params(service, view, params.collect(service.operation(view.operation)?)?)?;
            let client = client(service, &cli.global)?;
            let items = resource
                .list(&client, &params)
                .await
                .map_err(|e| lifecycle::dyn_failure(&e))?;
            if cli.global.json {
                out!("{}", Value::Array(items.iter().map(lifecycle::summary_json).collect()));
            } else {
                out!("{}", lifecycle::summaries_table(&items));
            }
            Ok(())
        }
        Command::Describe {
            service,
            id,
            resource,
            params,
        } => {
            let (service, resource, params) = describe_target(service, resource, params)?;
            let client = client(service, &cli.global)?;
            let summary = resource
                .describe(&client, id, &params)
                .await
                .map_err(|e| lifecycle::dyn_failure(&e))?;
            print_summary(&summary, cli.global.json);
            Ok(())
        }
        Command::Wait {
            service,
            id,
            target,
            timeout,
            min_delay,
            max_delay,
            resource,
            params,
        } => {
            let (service, resource, params) = describe_target(service, resource, params)?;
            let client = client(service, &cli.global)?;
            let settings = lifecycle::WaitSettings {
                target: *target,
                timeout: (*timeout).into(),
                min_delay: (*min_delay).into(),
                max_delay: (*max_delay).into(),
            };
            let summary = lifecycle::wait(resource, &client, id, &params, settings).await?;
            print_summary(&summary, cli.global.json);
            Ok(())
        }
    }
}

/// A service, one of its resources, and parameters (by wire name) for the
/// resource's operation.
type Target = (
    &'static DynService,
    &'static dyn cloudsnap::client::DynResource,
    serde_json::Map<String, Value>,
);

/// The service, its resource and the describe operation's parameters, for
/// `describe` and `wait`.
fn describe_target(service: &str, resource: &ResourceArg, params: &ParamArgs) -> Result<Target, Failure> {
    let service = services::find(service).map_err(Failure::Usage)?;
    let resource = lifecycle::resource(service, resource.resource.as_deref())?;
    let decl = resource.decl();
    let Some(view) = decl.describe.as_ref() else {
        return Err(Failure::Usage(format!(
            "{} {} has no describe operation, so it cannot be described or waited for{}",
            service.feature,
            resource.name(),
            decl.no_describe.map(|r| format!(": {r}")).unwrap_or_default()
        )));
    };
    let params = lifecycle::view_params(service, view, params.collect(service.operation(view.operation)?)?)?;
    Ok((service, resource, params))
}

fn print_summary(summary: &SnapshotSummary, machine: bool) {
    if machine {
        out!("{}", lifecycle::summary_json(summary));
    } else {
        out!("{}", lifecycle::summary_table(summary));
    }
}

impl ParamArgs {
    fn collect(&self, op: &cloudsnap::client::DynOperation) -> Result<Value, Failure> {
        params::collect(op, self.params_json.as_deref(), &self.param).map_err(Failure::Usage)
    }
}

/// The service's client, configured from the options and the environment
/// as the generated `Client::from_env` takes them.
fn client(service: &DynService, global: &Global) -> Result<cloudsnap::client::Client, Failure> {
    let mut config = ClientConfig::new(service.info);
    let variable = services::endpoint_variable(service);
    let endpoint = global
        .endpoint
        .clone()
        .or_else(|| std::env::var(&variable).ok().filter(|v| !v.is_empty()));
    if let Some(url) = endpoint {
        config = config.endpoint(url);
    }
    if let Some(region) = &global.region {
        config = config.region(region);
    }
    for pair in &global.endpoint_vars {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Failure::Usage(format!("--endpoint-var `{pair}` is not NAME=VALUE")));
        };
        config = config.endpoint_variable(name, value);
    }
    if let Some(timeout) = global.request_timeout {
        config = config.timeout(timeout);
    }
    (service.from_env)(config).map_err(|e| {
        Failure::Config(format!(
            "{} (set credentials in the environment; the endpoint comes from --endpoint, {variable}, or the region)",
            cloudsnap::runtime::error_chain(&e)
        ))
    })
}
