//! `RawRequest`: the request in exactly the spec's JSON shape, for code that builds a
//! request programmatically. It is not validated; `Request::from_raw` does that.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A time window `["HH:MM", "HH:MM"]`.
pub type RawWindow = [String; 2];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequest {
    pub version: i64,
    pub week_start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_minutes: Option<i64>,
    pub days: Vec<String>,
    pub teachers: Vec<RawTeacher>,
    pub students: Vec<RawStudent>,
    pub lessons: Vec<RawLesson>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<RawFixed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<RawWeights>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTeacher {
    pub id: String,
    /// Day name -> windows.
    pub availability: BTreeMap<String, Vec<RawWindow>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStudent {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_daily_minutes: Option<i64>,
    pub availability: BTreeMap<String, Vec<RawWindow>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLesson {
    pub id: String,
    pub students: Vec<String>,
    /// `None` serializes as `null`: independent work. The field itself is required.
    pub teacher: Option<String>,
    pub duration: i64,
    pub sessions: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_day: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred: Option<RawWindow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_weight: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixed {
    pub id: String,
    pub day: String,
    pub start: String,
    pub end: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub students: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teachers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeights {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unscheduled: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}
