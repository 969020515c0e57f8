//! Every `/api/v1` operation, once: its method, path and handler for the
//! router, and what the OpenAPI document says of it (query, body, answer).
//! The document is derived from the same request and response types the
//! handlers use, so it cannot drift from them.

use axum::Router;
use axum::routing::{MethodRouter, delete, get, patch, post, put};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

use super::{Page, access, imports, insights, records, school, sessions};
use crate::http::AppState;
use crate::http::problem::Body as ProblemBody;

type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// What a request body is.
#[derive(Clone, Copy)]
pub enum BodyDoc {
    Json(SchemaFn),
    /// A file as text (curriculum CSV or TOML).
    Text,
    /// A zip file (a co-op's OneRoster roster).
    Zip,
}

/// What a successful answer is.
#[derive(Clone, Copy)]
pub enum Answer {
    Json(u16, SchemaFn),
    /// No body.
    Empty(u16),
    /// JSON, CSV or HTML by `?format=` (reports).
    Report,
}

/// One operation.
pub struct Op {
    pub method: &'static str,
    /// Under `/api/v1`.
    pub path: &'static str,
    pub id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub query: Option<SchemaFn>,
    pub body: Option<BodyDoc>,
    pub answer: Answer,
    /// Takes `If-Match` (required: 428 without it).
    pub if_match: Option<bool>,
    /// Answers without a session.
    pub public: bool,
    pub route: MethodRouter<AppState>,
}

fn op(
    method: &'static str,
    path: &'static str,
    id: &'static str,
    tag: &'static str,
    summary: &'static str,
    route: MethodRouter<AppState>,
) -> Op {
    Op {
        method,
        path,
        id,
        tag,
        summary,
        query: None,
        body: None,
        answer: Answer::Empty(204),
        if_match: None,
        public: false,
        route,
    }
}

impl Op {
    fn query<T: JsonSchema>(mut self) -> Op {
        self.query = Some(schema::<T>);
        self
    }
    fn body<T: JsonSchema>(mut self) -> Op {
        self.body = Some(BodyDoc::Json(schema::<T>));
        self
    }
    fn text_body(mut self) -> Op {
        self.body = Some(BodyDoc::Text);
        self
    }
    fn zip_body(mut self) -> Op {
        self.body = Some(BodyDoc::Zip);
        self
    }
    fn accepted<T: JsonSchema>(mut self) -> Op {
        self.answer = Answer::Json(202, schema::<T>);
        self
    }
    fn ok<T: JsonSchema>(mut self) -> Op {
        self.answer = Answer::Json(200, schema::<T>);
        self
    }
    fn created<T: JsonSchema>(mut self) -> Op {
        self.answer = Answer::Json(201, schema::<T>);
        self
    }
    fn report(mut self) -> Op {
        self.answer = Answer::Report;
        self
    }
    fn public(mut self) -> Op {
        self.public = true;
        self
    }
    fn if_match(mut self, required: bool) -> Op {
        self.if_match = Some(required);
        self
    }
}

const F: &str = "/families/{family}";

/// Every operation under `/api/v1`.
pub fn routes() -> Vec<Op> {
    use brightpath_core::model::{AvailabilityException, Break, Coop};
    use brightpath_core::model::{Course, Family, FixedEvent, Guardian, SchoolYear, Student};
    use brightpath_core::services::progress::{ChangeSummary, DaysOff};
    use brightpath_core::services::{curriculum, lists, pacing, planning, school as svc, view};
    use brightpath_core::store::ApiToken;
    let p = |tail: &str| -> &'static str { Box::leak(format!("{F}{tail}").into_boxed_str()) };
    vec![
        // who and where
        op(
            "get",
            "/sign-in-options",
            "getSignInOptions",
            "access",
            "How people may sign in here (no session needed)",
            get(access::sign_in_options),
        )
        .ok::<access::SignInOptions>()
        .public(),
        op(
            "get",
            "/me",
            "getMe",
            "access",
            "Who is calling, their families and co-ops",
            get(access::me),
        )
        .ok::<access::Me>(),
        op(
            "post",
            "/logout",
            "logout",
            "access",
            "End this session",
            post(crate::http::auth::logout),
        ),
        op(
            "post",
            "/logout-everywhere",
            "logoutEverywhere",
            "access",
            "End every browser session of this person",
            post(crate::http::auth::logout_everywhere),
        ),
        op(
            "get",
            "/families",
            "listFamilies",
            "access",
            "The caller's families and their role in each",
            get(access::families),
        )
        .query::<super::PageQuery>()
        .ok::<Page<web_role::FamilyRole>>(),
        op(
            "post",
            "/families",
            "createFamily",
            "access",
            "Start a family (onboarding); the caller is its first guardian",
            post(access::create_family),
        )
        .body::<access::NewFamilyBody>()
        .created::<Family>(),
        op(
            "post",
            "/invitations/{token}/accept",
            "acceptInvitation",
            "access",
            "Accept an invitation (a guardian's, or a co-op's for one of the caller's families)",
            post(access::accept),
        )
        .body::<access::AcceptBody>()
        .ok::<Family>(),
        op(
            "get",
            "/tokens",
            "listTokens",
            "access",
            "The caller's API tokens (never their secrets)",
            get(access::list_tokens),
        )
        .query::<super::PageQuery>()
        .ok::<Page<ApiToken>>(),
        op(
            "post",
            "/tokens",
            "createToken",
            "access",
            "Make an API token; its secret is shown only in this answer",
            post(access::create_token),
        )
        .body::<access::TokenBody>()
        .created::<web_role::NewToken>(),
        op(
            "delete",
            "/tokens/{id}",
            "revokeToken",
            "access",
            "Revoke an API token",
            delete(access::revoke_token),
        ),
        op(
            "get",
            "/coops",
            "listCoops",
            "coops",
            "The co-ops the caller administers",
            get(access::list_coops),
        )
        .ok::<Vec<Coop>>(),
        op(
            "get",
            "/coops/{coop}/families",
            "coopRoster",
            "coops",
            "A co-op's roster (families, not their plans)",
            get(access::roster),
        )
        .query::<super::PageQuery>()
        .ok::<Page<brightpath_core::services::coop::RosterFamily>>(),
        op(
            "post",
            "/coops/{coop}/invitations",
            "inviteFamily",
            "coops",
            "A link for a family to join the co-op",
            post(access::invite_family),
        )
        .body::<access::InviteBody>()
        .created::<access::InvitationLink>(),
        op(
            "get",
            "/coops/{coop}/classes",
            "coopClasses",
            "coops",
            "A co-op's classes: course, meetings, teachers and the children in each (not families' plans)",
            get(imports::classes),
        )
        .query::<super::PageQuery>()
        .ok::<Page<brightpath_core::services::roster::classes::CoopClass>>(),
        op(
            "post",
            "/coops/{coop}/imports",
            "uploadRoster",
            "coops",
            "Upload a OneRoster zip: a job checks it (dry_run, the default) or imports it",
            post(imports::upload),
        )
        .query::<imports::UploadQuery>()
        .zip_body()
        .accepted::<imports::ImportQueued>(),
        op(
            "get",
            "/coops/{coop}/imports",
            "listRosterUploads",
            "coops",
            "The co-op's roster uploads, newest first",
            get(imports::list),
        )
        .query::<super::PageQuery>()
        .ok::<Page<brightpath_core::store::RosterUpload>>(),
        op(
            "post",
            "/coops/{coop}/imports/{import}/apply",
            "applyRosterUpload",
            "coops",
            "Import an uploaded roster for real (a job; its result is the report)",
            post(imports::apply),
        )
        .accepted::<imports::ImportQueued>(),
        op(
            "get",
            "/jobs/{id}",
            "getJob",
            "plan",
            "A background job's status (the caller's families' jobs)",
            get(sessions::job),
        )
        .ok::<sessions::JobView>(),
        // the family and its school
        op(
            "get",
            F,
            "getFamily",
            "school",
            "The family and what its school holds",
            get(school::get_family),
        )
        .ok::<svc::Overview>(),
        op(
            "patch",
            F,
            "editFamily",
            "school",
            "Rename the family or change its time zone",
            patch(school::edit_family),
        )
        .body::<school::FamilyPatchBody>()
        .ok::<Family>()
        .if_match(false),
        op(
            "post",
            p("/invitations"),
            "inviteGuardian",
            "school",
            "A link for another guardian to join the family",
            post(access::invite_guardian),
        )
        .body::<access::InviteBody>()
        .created::<access::InvitationLink>(),
        op(
            "get",
            p("/guardians"),
            "listGuardians",
            "school",
            "Guardians",
            get(school::list_guardians),
        )
        .query::<super::PageQuery>()
        .ok::<Page<Guardian>>(),
        op(
            "post",
            p("/guardians"),
            "addGuardian",
            "school",
            "Add a guardian",
            post(school::add_guardian),
        )
        .body::<school::GuardianBody>()
        .created::<Guardian>(),
        op(
            "patch",
            p("/guardians/{id}"),
            "editGuardian",
            "school",
            "Change a guardian",
            patch(school::edit_guardian),
        )
        .body::<school::GuardianPatchBody>()
        .ok::<Guardian>()
        .if_match(false),
        op(
            "delete",
            p("/guardians/{id}"),
            "removeGuardian",
            "school",
            "Remove a guardian",
            delete(school::remove_guardian),
        )
        .if_match(false),
        op(
            "get",
            p("/students"),
            "listStudents",
            "school",
            "Children",
            get(school::list_students),
        )
        .query::<super::PageQuery>()
        .ok::<Page<school::StudentRow>>(),
        op(
            "post",
            p("/students"),
            "addStudent",
            "school",
            "Add a child",
            post(school::add_student),
        )
        .body::<school::StudentBody>()
        .created::<Student>(),
        op(
            "patch",
            p("/students/{id}"),
            "editStudent",
            "school",
            "Change a child",
            patch(school::edit_student),
        )
        .body::<school::StudentPatchBody>()
        .ok::<Student>()
        .if_match(false),
        op(
            "delete",
            p("/students/{id}"),
            "removeStudent",
            "school",
            "Remove a child",
            delete(school::remove_student),
        )
        .if_match(false),
        op(
            "put",
            p("/students/{id}/login"),
            "setStudentLogin",
            "school",
            "Give an older child their own login (their plan and marks)",
            put(school::set_login),
        )
        .body::<school::LoginBody>(),
        op(
            "delete",
            p("/students/{id}/login"),
            "removeStudentLogin",
            "school",
            "Remove a child's own login",
            delete(school::remove_login),
        ),
        op(
            "get",
            p("/years"),
            "listYears",
            "school",
            "School years",
            get(school::list_years),
        )
        .query::<super::PageQuery>()
        .ok::<Page<SchoolYear>>(),
        op(
            "post",
            p("/years"),
            "addYear",
            "school",
            "Add a school year (defaults: mid-August to late May, Monday to Friday, 180 days)",
            post(school::add_year),
        )
        .body::<school::YearBody>()
        .created::<SchoolYear>(),
        op(
            "patch",
            p("/years/{id}"),
            "editYear",
            "school",
            "Change a school year",
            patch(school::edit_year),
        )
        .body::<school::YearPatchBody>()
        .ok::<SchoolYear>()
        .if_match(false),
        op(
            "delete",
            p("/years/{id}"),
            "removeYear",
            "school",
            "Remove a school year",
            delete(school::remove_year),
        )
        .if_match(false),
        op(
            "get",
            p("/breaks"),
            "listBreaks",
            "school",
            "Breaks, holidays and sick days",
            get(school::list_breaks),
        )
        .query::<super::PageQuery>()
        .ok::<Page<lists::BreakRow>>(),
        op(
            "post",
            p("/breaks"),
            "addBreak",
            "school",
            "Record a break in the calendar (to move planned work, use day-off)",
            post(school::add_break),
        )
        .body::<school::BreakBody>()
        .created::<Break>(),
        op(
            "delete",
            p("/breaks/{id}"),
            "removeBreak",
            "school",
            "Remove a break",
            delete(school::remove_break),
        ),
        op(
            "get",
            p("/courses"),
            "listCourses",
            "school",
            "Courses with teacher and children",
            get(school::list_courses),
        )
        .query::<super::PageQuery>()
        .ok::<Page<lists::CourseRow>>(),
        op(
            "post",
            p("/courses"),
            "addCourse",
            "school",
            "Add a course",
            post(school::add_course),
        )
        .body::<school::CourseBody>()
        .created::<Course>(),
        op(
            "patch",
            p("/courses/{id}"),
            "editCourse",
            "school",
            "Change a course",
            patch(school::edit_course),
        )
        .body::<school::CoursePatchBody>()
        .ok::<Course>()
        .if_match(false),
        op(
            "delete",
            p("/courses/{id}"),
            "removeCourse",
            "school",
            "Remove a course",
            delete(school::remove_course),
        )
        .if_match(false),
        op(
            "put",
            p("/courses/{course}/students/{student}"),
            "enroll",
            "school",
            "Enroll a child in a course",
            put(school::enroll),
        ),
        op(
            "delete",
            p("/courses/{course}/students/{student}"),
            "unenroll",
            "school",
            "Take a child out of a course",
            delete(school::unenroll),
        ),
        op(
            "get",
            p("/enrollments"),
            "listEnrollments",
            "school",
            "Who takes what",
            get(school::list_enrollments),
        )
        .query::<super::PageQuery>()
        .ok::<Page<lists::EnrollmentRow>>(),
        op(
            "get",
            p("/courses/{course}/curriculum"),
            "getCurriculum",
            "school",
            "A course's lessons and each child's place in them",
            get(records::show_curriculum),
        )
        .ok::<curriculum::CurriculumView>(),
        op(
            "post",
            p("/courses/{course}/curriculum"),
            "uploadCurriculum",
            "school",
            "Upload a curriculum (CSV or TOML); all or nothing",
            post(records::upload_curriculum),
        )
        .query::<records::UploadQuery>()
        .text_body()
        .ok::<curriculum::ImportReport>(),
        op(
            "get",
            p("/events"),
            "listEvents",
            "school",
            "Fixed events (co-op mornings, lessons elsewhere)",
            get(school::list_events),
        )
        .query::<super::PageQuery>()
        .ok::<Page<lists::EventRow>>(),
        op(
            "post",
            p("/events"),
            "addEvent",
            "school",
            "Add a fixed event",
            post(school::add_event),
        )
        .body::<school::EventBody>()
        .created::<FixedEvent>(),
        op(
            "delete",
            p("/events/{id}"),
            "removeEvent",
            "school",
            "Remove a fixed event",
            delete(school::remove_event),
        )
        .if_match(false),
        op(
            "get",
            p("/exceptions"),
            "listExceptions",
            "school",
            "Days when someone's hours differ",
            get(school::list_exceptions),
        )
        .query::<school::ExceptionQuery>()
        .ok::<Page<svc::ExceptionView>>(),
        op(
            "post",
            p("/exceptions"),
            "addException",
            "school",
            "Someone's hours differ on one date",
            post(school::add_exception),
        )
        .body::<school::ExceptionBody>()
        .created::<AvailabilityException>(),
        op(
            "delete",
            p("/exceptions/{id}"),
            "removeException",
            "school",
            "Remove an exception",
            delete(school::remove_exception),
        ),
        // the week
        op(
            "get",
            p("/week"),
            "getWeek",
            "plan",
            "A week as a parent sees it (ETag; 304 for If-None-Match)",
            get(sessions::week),
        )
        .query::<sessions::WeekQuery>()
        .ok::<view::WeekView>(),
        op(
            "post",
            p("/plan"),
            "planWeek",
            "plan",
            "Plan or re-plan a week now (or in the background: 202)",
            post(sessions::plan),
        )
        .body::<sessions::PlanBody>()
        .ok::<planning::PlanOutcome>(),
        op(
            "get",
            p("/today"),
            "getToday",
            "plan",
            "Each child's agenda for a day",
            get(sessions::today),
        )
        .query::<sessions::WeekQuery>()
        .ok::<Vec<view::Agenda>>(),
        op(
            "get",
            p("/progress"),
            "getProgress",
            "records",
            "Pacing of every course",
            get(sessions::progress_of),
        )
        .ok::<Vec<pacing::Pacing>>(),
        op(
            "post",
            p("/undo"),
            "undo",
            "plan",
            "Undo the caller's own last change",
            post(sessions::undo),
        )
        .ok::<ChangeSummary>(),
        op(
            "post",
            p("/sessions/{session}/done"),
            "markDone",
            "plan",
            "Mark a lesson done (or partly), with feedback",
            post(sessions::done),
        )
        .body::<sessions::DoneBody>()
        .ok::<ChangeSummary>()
        .if_match(true),
        op(
            "post",
            p("/sessions/{session}/skip"),
            "skip",
            "plan",
            "Skip a lesson, with a reason",
            post(sessions::skip),
        )
        .body::<sessions::SkipBody>()
        .ok::<ChangeSummary>()
        .if_match(true),
        op(
            "post",
            p("/sessions/{session}/move"),
            "move",
            "plan",
            "Move a lesson (checked against every rule; pinned there)",
            post(sessions::move_session),
        )
        .body::<sessions::MoveBody>()
        .ok::<ChangeSummary>()
        .if_match(true),
        op(
            "post",
            p("/sessions/{session}/pin"),
            "pin",
            "plan",
            "Keep a lesson where it is when re-planning",
            post(sessions::pin),
        )
        .ok::<ChangeSummary>()
        .if_match(true),
        op(
            "post",
            p("/sessions/{session}/unpin"),
            "unpin",
            "plan",
            "Let re-planning move a lesson again",
            post(sessions::unpin),
        )
        .ok::<ChangeSummary>()
        .if_match(true),
        op(
            "get",
            p("/sessions/{session}/why"),
            "why",
            "plan",
            "Why a lesson is where it is",
            get(sessions::why),
        )
        .ok::<pacing::Explanation>(),
        op(
            "post",
            p("/day-off"),
            "dayOff",
            "plan",
            "Days off from now on; the work planned on them moves (dry_run: preview)",
            post(records::day_off),
        )
        .body::<records::DayOffBody>()
        .ok::<DaysOff>(),
        op(
            "post",
            p("/catch-up"),
            "catchUp",
            "plan",
            "Move missed lessons into the rest of the week (dry_run: preview)",
            post(records::catch_up),
        )
        .body::<records::CatchUpBody>()
        .ok::<records::CatchUp>(),
        // records
        op(
            "get",
            p("/insights"),
            "getInsights",
            "records",
            "What the feedback taught: learned lesson lengths, best hours, suggestions",
            get(insights::insights),
        )
        .query::<insights::InsightsQuery>()
        .ok::<insights::InsightsJson>(),
        op(
            "get",
            p("/reports/{kind}"),
            "getReport",
            "records",
            "Attendance, hours or progress as JSON, CSV or printable HTML",
            get(records::report),
        )
        .query::<records::ReportQuery>()
        .report(),
        op(
            "get",
            p("/feeds"),
            "listFeeds",
            "records",
            "The family's calendar feeds",
            get(records::list_feeds),
        )
        .ok::<Vec<web_role::FeedInfo>>(),
        op(
            "post",
            p("/feeds"),
            "createFeed",
            "records",
            "A calendar feed URL for Google or Apple Calendar (shown once)",
            post(records::add_feed),
        )
        .created::<records::NewFeed>(),
        op(
            "delete",
            p("/feeds/{id}"),
            "revokeFeed",
            "records",
            "Revoke a calendar feed",
            delete(records::remove_feed),
        ),
    ]
}

mod web_role {
    pub use brightpath_core::services::web::{FamilyRole, FeedInfo, NewToken};
}

/// The `/api/v1` router from the table: one method router per path.
pub fn router() -> Router<AppState> {
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for o in routes() {
        match by_path.iter_mut().find(|(p, _)| *p == o.path) {
            Some((_, r)) => *r = std::mem::take(r).merge(o.route),
            None => by_path.push((o.path, o.route)),
        }
    }
    by_path
        .into_iter()
        .fold(Router::new(), |r, (p, m)| r.route(p, m))
}

fn path_params(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            let schema = if name == "kind" {
                json!({"type": "string", "enum": ["attendance", "hours", "progress"]})
            } else {
                json!({"type": "string", "minLength": 1})
            };
            json!({"name": name, "in": "path", "required": true, "schema": schema})
        })
        .collect()
}

/// Each property of a query struct's schema becomes a query parameter.
fn query_params(s: &Schema) -> Vec<Value> {
    let obj = s.as_object().cloned().unwrap_or_default();
    let required: Vec<String> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    obj.get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .map(|(name, schema)| {
                    let mut p = json!({
                        "name": name,
                        "in": "query",
                        "required": required.contains(name),
                        "schema": schema,
                    });
                    if let Some(d) = schema.get("description") {
                        p["description"] = d.clone();
                    }
                    p
                })
                .collect()
        })
        .unwrap_or_default()
}

fn problem_responses(op: &Op) -> Map<String, Value> {
    let problem =
        json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
    let mut codes = vec![
        ("400", "the request is malformed (JSON, If-Match)"),
        ("401", "not signed in, or the session or token expired"),
        (
            "403",
            "not allowed (a read-only token, a student's login, the CSRF check)",
        ),
        ("404", "no such thing, or another family's"),
        ("409", "a duplicate, or changed by someone else"),
        ("413", "the body is over the limit"),
        ("422", "a value is wrong; `detail` names it"),
        ("429", "too many requests"),
        ("500", "a bug (logged with the request id)"),
        ("503", "the database or job bus is unavailable"),
    ];
    if op.if_match.is_some() {
        codes.push(("412", "the version in If-Match is stale: read again"));
    }
    if op.if_match == Some(true) {
        codes.push(("428", "If-Match is missing"));
    }
    codes
        .into_iter()
        .map(|(c, d)| (c.to_string(), json!({"description": d, "content": problem})))
        .collect()
}

/// The OpenAPI 3.1 document of `/api/v1`.
pub fn openapi() -> Value {
    // Answers are described as they are written, requests as they are read.
    let mut out = schemars::generate::SchemaSettings::draft2020_12().for_serialize();
    out.definitions_path = "/components/schemas".into();
    out.meta_schema = None;
    let mut out = out.into_generator();
    let mut inp = schemars::generate::SchemaSettings::draft2020_12().for_deserialize();
    inp.inline_subschemas = true;
    inp.meta_schema = None;
    let mut inp = inp.into_generator();
    let mut paths = Map::new();
    for o in routes() {
        let mut params = path_params(o.path);
        if let Some(q) = o.query {
            params.extend(query_params(&q(&mut inp)));
        }
        if let Some(req) = o.if_match {
            params.push(json!({
                "name": "If-Match", "in": "header", "required": req,
                "description": "the version read (from the week or the resource), e.g. \"3\"",
                "schema": {"type": "string", "pattern": "^(W/)?\"?[0-9]+\"?$"}
            }));
        }
        let mut responses = problem_responses(&o);
        match o.answer {
            Answer::Json(code, s) => {
                responses.insert(
                    code.to_string(),
                    json!({"description": "done", "content": {"application/json": {"schema": s(&mut out)}}}),
                );
            }
            Answer::Empty(code) => {
                responses.insert(code.to_string(), json!({"description": "done"}));
            }
            Answer::Report => {
                responses.insert(
                    "200".into(),
                    json!({"description": "the report", "content": {
                        "application/json": {"schema": {"type": ["object", "array"]}},
                        "text/csv": {"schema": {"type": "string"}},
                        "text/html": {"schema": {"type": "string"}}
                    }}),
                );
            }
        }
        if o.id == "planWeek" {
            responses.insert(
                "202".into(),
                json!({"description": "queued (background: true)", "content": {"application/json": {"schema": schema::<sessions::Queued>(&mut out)}}}),
            );
        }
        if o.id == "getWeek" {
            responses.insert(
                "304".into(),
                json!({"description": "not modified since the ETag sent"}),
            );
        }
        let mut operation = json!({
            "operationId": o.id,
            "tags": [o.tag],
            "summary": o.summary,
            "parameters": params,
            "responses": responses,
        });
        if o.public {
            operation["security"] = json!([]);
        }
        match o.body {
            Some(BodyDoc::Json(s)) => {
                operation["requestBody"] = json!({"required": false, "content": {"application/json": {"schema": s(&mut inp)}}});
            }
            Some(BodyDoc::Text) => {
                operation["requestBody"] = json!({"required": true, "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/toml": {"schema": {"type": "string"}}
                }});
            }
            Some(BodyDoc::Zip) => {
                // Any media type: the body is read as bytes and must be a zip.
                operation["requestBody"] = json!({"required": true, "content": {
                    "application/zip": {"schema": {"type": "string", "contentMediaType": "application/zip"}},
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                }});
            }
            None => {}
        }
        let path = format!("/api/v1{}", o.path);
        let entry = paths.entry(path).or_insert_with(|| json!({}));
        entry[o.method] = operation;
    }
    let mut schemas: Map<String, Value> = out.take_definitions(true).into_iter().collect();
    schemas.insert(
        "Problem".into(),
        schema::<ProblemBody<'static>>(&mut inp).to_value(),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "BrightPath API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Homeschool planning over HTTP: the same services as the `brightpath` CLI. See docs/http.md."
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"cookie": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "an API token (`brightpath token create`) or a session token"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "bp_session", "description": "the web app's session; unsafe requests also need the X-BrightPath-CSRF header"}
            }
        }
    })
}
