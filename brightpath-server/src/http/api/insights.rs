//! What the feedback taught: learned lesson lengths, lengths by time of
//! day, each child's best hours and the suggestions, as `brightpath
//! insights --json` shows them (brightpath-learn does the learning).

use axum::Json;
use axum::extract::{Path, Query};
use brightpath_core::services::lists;
use serde::Deserialize;

use super::{ApiResult, school};
use crate::http::auth::Caller;

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InsightsQuery {
    /// Only this child (name or id).
    student: Option<String>,
}

/// The insights as brightpath-learn writes them.
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
pub struct InsightsJson(serde_json::Value);

impl schemars::JsonSchema for InsightsJson {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Insights".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "cleaning counts, the evaluations of both models against their baselines, learned lengths per child and course, lengths and engagement by part of the day, and suggestions",
            "required": ["cleaning", "lengths", "engagement", "course_lengths", "daypart_lengths", "best_hours", "suggestions"],
            "properties": {
                "course_lengths": {"type": "array", "items": {"type": "object"}},
                "daypart_lengths": {"type": "array", "items": {"type": "object"}},
                "best_hours": {"type": "array", "items": {"type": "object"}},
                "suggestions": {"type": "array", "items": {"type": "string"}}
            }
        })
    }
}

/// `GET …/insights?student=`: learns from the family's feedback now (the
/// models are small; a year of a family's lessons takes well under a second).
pub async fn insights(
    caller: Caller,
    Path(fid): Path<String>,
    Query(q): Query<InsightsQuery>,
) -> ApiResult<Json<InsightsJson>> {
    let f = school(&caller, &fid).await?;
    let data = lists::feedback(&caller.store, &f.id).await?;
    let mut learned = tokio::task::spawn_blocking(move || {
        brightpath_learn::insights(&data.sessions, &data.ratings, &data.students, &data.courses)
    })
    .await
    .map_err(|e| brightpath_core::Error::Internal(e.to_string()))?;
    if let Some(s) = q.student {
        let name = lists::find_student(&caller.store, &f.id, &s).await?.name;
        learned = learned.for_child(&name);
    }
    let v = serde_json::to_value(&learned)
        .map_err(|e| brightpath_core::Error::Internal(e.to_string()))?;
    Ok(Json(InsightsJson(v)))
}
