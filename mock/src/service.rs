//! A loaded spec, prepared for serving: the validated model, routes, and
//! compiled patterns.

use std::path::Path;

use regex::Regex;

use cloudsnap_codegen::model::{Model, OperationModel};
use cloudsnap_runtime::{AuthScheme, ErrorEnvelope, Protocol};

use crate::routing::Route;
use crate::MockError;

/// One service, ready to check requests against.
#[derive(Debug)]
pub(crate) struct Service {
    /// The validated model.
    pub model: Model,
    /// Wire protocol.
    pub protocol: Protocol,
    /// Accepted authentication schemes, preferred first.
    pub auth: Vec<AuthScheme>,
    /// Error body shape.
    pub envelope: ErrorEnvelope,
    /// One route per operation, in spec order.
    pub routes: Vec<Route>,
    /// Compiled `pattern` constraints: `patterns[op][param]`.
    pub patterns: Vec<Vec<Option<Regex>>>,
}

impl Service {
    /// Load and validate the spec at `path`.
    pub fn load(path: &Path) -> Result<Service, MockError> {
        let spec_error = |diagnostics: Vec<cloudsnap_codegen::diag::Diagnostic>| MockError::Spec {
            path: path.to_owned(),
            diagnostics: diagnostics.iter().map(ToString::to_string).collect(),
        };
        let loaded = cloudsnap_codegen::load::load_file(path).map_err(spec_error)?;
        let model = cloudsnap_codegen::model::build(&loaded).map_err(spec_error)?;
        let mut patterns = Vec::new();
        for op in &model.operations {
            patterns.push(compile_patterns(path, op)?);
        }
        let routes = model.operations.iter().map(Route::new).collect();
        Ok(Service {
            protocol: model.service.protocol,
            auth: model.service.auth.clone(),
            envelope: model.service.error_envelope,
            model,
            routes,
            patterns,
        })
    }

    /// `vendor.id`, for logs (`zilliz.cloud`).
    pub fn name(&self) -> String {
        format!("{}.{}", self.model.service.vendor, self.model.service.id)
    }

    /// The operation index of an id.
    pub fn operation_index(&self, id: &str) -> Option<usize> {
        self.model.operations.iter().position(|o| o.id == id)
    }
}

fn compile_patterns(path: &Path, op: &OperationModel) -> Result<Vec<Option<Regex>>, MockError> {
    op.params
        .iter()
        .map(|p| {
            p.constraints
                .pattern
                .as_deref()
                .map(|source| {
                    Regex::new(source).map_err(|e| MockError::Pattern {
                        path: path.to_owned(),
                        operation: op.id.clone(),
                        parameter: p.wire.clone(),
                        source: e,
                    })
                })
                .transpose()
        })
        .collect()
}
