//! The whole verdict on one request: route, authentication, parameters.

use cloudsnap_runtime::AuthScheme;

use crate::auth::{self, AuthContext};
use crate::envelope::{Kind, Problem};
use crate::incoming::Incoming;
use crate::service::Service;
use crate::{params, routing};

/// What the checks found.
#[derive(Debug)]
pub(crate) struct Verdict {
    /// The operation the request was routed to.
    pub operation: Option<usize>,
    /// The authentication scheme recognized.
    pub scheme: Option<AuthScheme>,
    /// The decoded path parameters the router captured, by wire name.
    pub path_params: Vec<(String, String)>,
    /// Every failed check, in the order: routing, decoding, authentication,
    /// parameters.
    pub problems: Vec<Problem>,
}

/// Run every check on `inc`.
pub(crate) fn check(service: &Service, inc: &Incoming, ctx: &AuthContext<'_>) -> Verdict {
    let mut problems = Vec::new();
    let routed = routing::route(service, inc);
    if let Err(problem) = &routed {
        problems.push(problem.clone());
    }
    problems.extend(
        inc.decode_problems
            .iter()
            .map(|m| Problem::new(Kind::InvalidParameter, m.clone())),
    );
    let scheme = auth::check(service, inc, ctx, &mut problems);
    let mut path_params = Vec::new();
    let operation = match routed {
        Ok((op, path_values)) => {
            params::check(service, op, &path_values, inc, &mut problems);
            let model = &service.model.operations[op];
            path_params = path_values
                .into_iter()
                .filter_map(|(i, value)| model.params.get(i).map(|p| (p.wire.clone(), value)))
                .collect();
            Some(op)
        }
        Err(_) => None,
    };
    Verdict {
        operation,
        scheme,
        path_params,
        problems,
    }
}
