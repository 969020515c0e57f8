//! `/api/v1`: thin handlers. Each extracts and validates, asks core who the
//! caller may be in the family named in the path, calls one core service as
//! the caller, and renders; rules live in core. `routes()` (in `table.rs`)
//! lists every operation once, for the router and the OpenAPI document.

mod access;
mod imports;
mod insights;
mod records;
mod school;
mod sessions;
mod table;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use brightpath_core::model::Family;
use brightpath_core::services::web::{self, Membership};
use serde::{Deserialize, Serialize};

use super::auth::Caller;
use super::problem::Problem;

#[cfg(test)]
pub use table::routes as routes_table;
pub use table::{openapi, router as routes_router};

pub type ApiResult<T> = Result<T, Problem>;

/// The family named in the path, if the caller may use it at all (another
/// tenant's answers 404, like one that does not exist).
async fn family(caller: &Caller, id: &str) -> ApiResult<Membership> {
    if let Some(m) = caller.cache.membership(&caller.session, id) {
        return Ok(m);
    }
    let m = web::family_for(&caller.store, &caller.session, id).await?;
    caller.cache.keep_membership(&caller.session, id, &m);
    Ok(m)
}

/// The family named in the path, if the caller may change its school
/// (guardians and the local parent; not a student's login: 403).
async fn school(caller: &Caller, id: &str) -> ApiResult<Family> {
    Ok(family(caller, id).await?.school()?.clone())
}

/// The version an `If-Match` header names: `"7"`, `W/"7"` or `7`. Changing a
/// session needs it, so a stale edit is refused (412), never applied.
fn if_match(headers: &HeaderMap) -> ApiResult<i64> {
    let Some(raw) = headers.get(header::IF_MATCH) else {
        return Err(Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "say which version you read",
        )
        .with_hint("send If-Match with the version from the week or the list"));
    };
    raw.to_str()
        .ok()
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                "If-Match is not a version",
            )
            .with_hint("send the version you read, e.g. If-Match: \"3\"")
        })
}

/// A JSON body (empty: the defaults), or a problem naming what is wrong.
fn body<T: Default + serde::de::DeserializeOwned>(b: &Bytes) -> ApiResult<T> {
    if b.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(b).map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("the request body: {e}"),
        )
    })
}

/// `?limit=&cursor=` of a list.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// At most this many items (1 to 500, default 100).
    limit: Option<u32>,
    /// Where the previous page ended (its `next_cursor`).
    cursor: Option<String>,
}

/// One page of a list, in a stable order; `next_cursor` fetches the next.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Null on the last page.
    pub next_cursor: Option<String>,
}

/// Pages `items` by `key` (unique and stable: an id, or a name and id). The
/// cursor is the last key shown, so a page does not shift when items are
/// added or removed before it.
fn page<T>(mut items: Vec<T>, q: &PageQuery, key: impl Fn(&T) -> String) -> ApiResult<Page<T>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("limit: {limit} is not between 1 and 500"),
        ));
    }
    let after = match q.cursor.as_deref() {
        Some(c) => Some(decode_cursor(c)?),
        None => None,
    };
    items.sort_by_key(|a| key(a));
    let start = match &after {
        Some(a) => items.partition_point(|i| key(i) <= *a),
        None => 0,
    };
    let mut rest: Vec<T> = items.into_iter().skip(start).collect();
    let more = rest.len() > limit as usize;
    rest.truncate(limit as usize);
    let next_cursor = if more {
        rest.last().map(|l| encode_cursor(&key(l)))
    } else {
        None
    };
    Ok(Page {
        items: rest,
        next_cursor,
    })
}

fn encode_cursor(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(c: &str) -> ApiResult<String> {
    let bad = || {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "cursor: not a cursor of this list",
        )
        .with_hint("pass the next_cursor of the previous page as it was")
    };
    if !c.len().is_multiple_of(2) || c.len() > 2048 {
        return Err(bad());
    }
    let bytes: Option<Vec<u8>> = (0..c.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(c.get(i..i + 2)?, 16).ok())
        .collect();
    bytes
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)
}

/// Any other path under `/api`: a problem, not the web app's page.
pub async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
        .with_hint("the API lives under /api/v1; its description is /api/openapi.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_the_whole_list_once() {
        let items: Vec<String> = (0..7).map(|i| format!("k{i}")).collect();
        let mut seen = Vec::new();
        let mut q = PageQuery {
            limit: Some(3),
            cursor: None,
        };
        loop {
            let p = page(items.clone(), &q, Clone::clone).expect("page");
            seen.extend(p.items);
            match p.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen, items);
        assert!(decode_cursor("zz").is_err());
        assert!(
            page(
                items,
                &PageQuery {
                    limit: Some(0),
                    cursor: None
                },
                Clone::clone
            )
            .is_err()
        );
    }
}
