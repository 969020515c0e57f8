//! Notifications end to end, against real servers: a local SMTP server from
//! the Python package `aiosmtpd` (each message decoded and written to a JSON
//! file) and an HTTP receiver on a tokio listener in this process. Jobs go
//! through the in-process bus and the real worker loop.
//!
//! Without `aiosmtpd` the e-mail cases are skipped with a message, unless `CI`
//! is set, when they fail (`pip install aiosmtpd`).

use crate::http;

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use brightpath_bus::schedule::{SchedulerOptions, tick};
use brightpath_bus::{Backoff, Bus, BusConfig, JobRecord, JobSpec, ListFilter, Queue, Status};
use brightpath_core::Store;
use brightpath_core::calendar::parse_date;
use brightpath_core::config::{SmtpSettings, WebhookSettings};
use brightpath_core::model::Family;
use brightpath_core::services::{demo, planning, view};
use brightpath_server::jobs::{FamilySchedules, PLAN_WEEK, core_registry_with};
use brightpath_server::notify::{DAILY_AGENDA, NotifyConfig, WEEKLY_PLAN};
use brightpath_server::worker::WorkerOptions;
use http::{free_port, header};
use serde_json::{Value, json};
use tokio::io::{AsyncWriteExt, BufReader};

const FROM: &str = "BrightPath <plans@brightpath.test>";
const TODAY: &str = "2026-12-01";

// ---------- the SMTP server ----------

const SMTPD: &str = r#"
import email, json, os, sys, threading
from email import policy
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

class Store:
    def __init__(self, out):
        self.out, self.n, self.lock = out, 0, threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        part = msg.get_body(preferencelist=("plain",))
        rec = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "subject": str(msg["subject"]),
            "message_id": str(msg["message-id"]),
            "content_type": msg.get_content_type(),
            "body": part.get_content() if part is not None else "",
            "login": getattr(session.auth_data, "login", b"").decode() if session.auth_data else None,
        }
        with self.lock:
            self.n += 1
            n = self.n
        tmp = os.path.join(self.out, ".%d.tmp" % n)
        with open(tmp, "w") as f:
            json.dump(rec, f)
        # Written before the 250 reply, so a job that succeeded has its mail on disk.
        os.rename(tmp, os.path.join(self.out, "%04d.json" % n))
        return "250 Message accepted for delivery"

def check(user, password):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return authenticator

port, out = int(sys.argv[1]), sys.argv[2]
# A third argument `user:password`: the server requires that login (no TLS:
# it stands for a relay on this machine).
auth = {}
if len(sys.argv) > 3:
    user, password = sys.argv[3].split(":", 1)
    auth = dict(authenticator=check(user, password), auth_required=True, auth_require_tls=False)
c = Controller(Store(out), hostname="127.0.0.1", port=port, **auth)
c.start()
print("ready", flush=True)
threading.Event().wait()
"#;

struct Smtpd {
    child: Child,
    port: u16,
    dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Smtpd {
    /// Every message received so far, in order.
    fn mails(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .expect("mail dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| {
                serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
            })
            .collect()
    }
}

/// Starts the SMTP server, or None (skipped) when aiosmtpd is missing off CI.
fn smtpd() -> Option<Smtpd> {
    smtpd_with_login(None)
}

/// [`smtpd`] requiring the login `user:password` when given.
fn smtpd_with_login(login: Option<&str>) -> Option<Smtpd> {
    let importable = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !importable {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 cannot import aiosmtpd (pip install aiosmtpd)"
        );
        eprintln!(
            "python3 cannot import aiosmtpd (pip install aiosmtpd): skipping this e-mail test"
        );
        return None;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let script = tmp.path().join("smtpd.py");
    std::fs::write(&script, SMTPD).expect("script");
    let dir = tmp.path().join("mail");
    std::fs::create_dir(&dir).expect("mail dir");
    let port = free_port();
    let mut child = Command::new("python3")
        .arg(&script)
        .arg(port.to_string())
        .arg(&dir)
        .args(login)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read");
    assert_eq!(line.trim(), "ready", "the SMTP server did not start");
    Some(Smtpd {
        child,
        port,
        dir,
        _tmp: tmp,
    })
}

// ---------- the webhook receiver ----------

#[derive(Debug, Clone)]
struct Request {
    head: String,
    body: Value,
}

struct Hook {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Hook {
    fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("lock").clone()
    }
}

/// An HTTP server answering every request with `status`, recording each.
async fn hook(status: u16) -> Hook {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let mut reader = BufReader::new(stream);
            let (head, body) = http::read_request(&mut reader).await;
            seen.lock().expect("lock").push(Request {
                head,
                body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            });
            let reply = format!(
                "HTTP/1.1 {status} Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = reader.get_mut().write_all(reply.as_bytes()).await;
        }
    });
    Hook {
        url: format!("http://127.0.0.1:{port}/hooks/brightpath"),
        requests,
    }
}

// ---------- the school and the worker ----------

struct School {
    _dir: tempfile::TempDir,
    store: Store,
    family: Family,
}

fn date(s: &str) -> jiff::civil::Date {
    parse_date("d", s).expect("date")
}

/// The demo school as of Tuesday 1 December 2026, planned when `planned`.
async fn school(planned: bool) -> School {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .await
        .expect("store");
    let family = demo::build(&store, date(TODAY)).await.expect("demo").family;
    if planned {
        let opts = planning::PlanOptions {
            actor: "test".into(),
            ..Default::default()
        };
        planning::plan_week(&store, &family, date(TODAY), &opts)
            .await
            .expect("plan");
    }
    School {
        _dir: dir,
        store,
        family,
    }
}

struct Worker {
    bus: Bus,
    stop: tokio::sync::watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

/// A worker over a fresh in-process bus, serving the schedules and
/// notifications queues with `config` for notifications. Failed jobs wait an
/// hour before their next attempt, so a test sees them as failed.
async fn worker(store: &Store, config: NotifyConfig) -> Worker {
    let mut bc = BusConfig::new("memory://");
    bc.backoff = Backoff {
        base: Duration::from_secs(3600),
        max: Duration::from_secs(3600),
    };
    let bus = Bus::connect(bc).await.expect("bus");
    let (stop, mut rx) = tokio::sync::watch::channel(false);
    let opts = WorkerOptions {
        queues: vec![
            Queue::new(Queue::SCHEDULES).expect("q"),
            Queue::new(Queue::NOTIFICATIONS).expect("q"),
        ],
        concurrency: 2,
        poll_wait: Duration::from_millis(100),
        ..Default::default()
    };
    let reg = Arc::new(core_registry_with(
        store.clone(),
        config,
        Default::default(),
    ));
    let b = bus.clone();
    let handle = tokio::spawn(async move {
        brightpath_server::worker::run_worker(b, reg, opts, async move {
            let _ = rx.wait_for(|s| *s).await;
        })
        .await
        .expect("worker");
    });
    Worker { bus, stop, handle }
}

impl Worker {
    async fn enqueue(&self, queue: &str, kind: &str, payload: Value) -> String {
        let spec = JobSpec::new(Queue::new(queue).expect("q"), kind, payload);
        self.bus
            .enqueue(spec)
            .await
            .expect("enqueue")
            .id
            .to_string()
    }

    /// Waits until job `id` has finished an attempt (succeeded, failed or dead).
    async fn finished(&self, id: &str) -> JobRecord {
        let id = id.parse().expect("uuid");
        // A bound so a broken handler fails the test instead of hanging it.
        for _ in 0..1200 {
            if let Some(j) = self.bus.get(id).await.expect("get")
                && matches!(j.status, Status::Succeeded | Status::Failed | Status::Dead)
            {
                return j;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("job {id} did not finish");
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        self.handle.await.expect("join");
    }
}

fn config(smtp: Option<&Smtpd>, hook: Option<&Hook>) -> NotifyConfig {
    NotifyConfig {
        smtp: match smtp {
            Some(s) => smtp_at(s.port),
            None => SmtpSettings::default(),
        },
        webhook: WebhookSettings {
            url: hook.map(|h| h.url.clone()),
        },
        ca_file: None,
    }
}

fn smtp_at(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: Some("127.0.0.1".into()),
        port,
        from: Some(FROM.into()),
        ..Default::default()
    }
}

/// `text` holds `lines` in this order.
fn assert_in_order(text: &str, lines: &[String]) {
    let mut at = 0;
    for l in lines {
        match text[at..].find(l.as_str()) {
            Some(i) => at += i + l.len(),
            None => panic!("{l:?} missing or out of order in:\n{text}"),
        }
    }
}

// ---------- the tests ----------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_agenda_from_the_schedule_is_mailed_and_posted() {
    let Some(smtp) = smtpd() else { return };
    let hook = hook(200).await;
    let s = school(true).await;
    let w = worker(&s.store, config(Some(&smtp), Some(&hook))).await;

    // 07:00 in Chicago on Tuesday 1 December is 13:00Z: the family's daily rule
    // fires once in the last hour, and nothing else does.
    let now: jiff::Timestamp = "2026-12-01T13:30:00Z".parse().expect("ts");
    let opts = SchedulerOptions {
        catch_up: Duration::from_secs(3600),
        ..Default::default()
    };
    let source = FamilySchedules {
        store: s.store.clone(),
    };
    tick(&w.bus, &source, &opts, now).await.expect("tick");
    let filter = ListFilter {
        queue: Some(Queue::new(Queue::NOTIFICATIONS).expect("q")),
        status: None,
        kind: Some(DAILY_AGENDA.into()),
        limit: 10,
    };
    let queued = w.bus.list(&filter).await.expect("list");
    assert_eq!(queued.len(), 1, "{queued:?}");
    let job = w.finished(&queued[0].id.to_string()).await;
    w.stop().await;
    assert_eq!(job.status, Status::Succeeded, "{:?}", job.last_error);
    let result = job.result.expect("result");
    assert_eq!(result["emailed"], json!(["maria@example.org"]), "{result}");

    // What the family should read: core's agenda for the day.
    let week = view::load_week(&s.store, &s.family, date(TODAY))
        .await
        .expect("week");
    let agendas = view::agenda(&week, date(TODAY));
    assert_eq!(agendas.len(), 3);
    assert!(agendas.iter().all(|a| !a.items.is_empty()), "{agendas:?}");

    // One message, to the one guardian with an address (Sam has none).
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let m = &mails[0];
    assert_eq!(m["rcpt_tos"], json!(["maria@example.org"]));
    assert_eq!(m["mail_from"], "plans@brightpath.test");
    assert_eq!(m["to"], "Maria <maria@example.org>");
    assert_eq!(
        m["subject"],
        "Today's lessons \u{2014} Rivera Family \u{2014} Tue 1 Dec"
    );
    assert_eq!(m["content_type"], "text/plain");
    let mid = m["message_id"].as_str().expect("message id");
    assert!(mid.starts_with(&format!("<{}.", job.id)), "{mid}");
    // Lines travel as CRLF; compare with the text as composed.
    let body = &m["body"].as_str().expect("body").replace("\r\n", "\n");
    assert!(body.contains("Tuesday 1 December 2026"), "{body}");
    for a in &agendas {
        let mut lines = vec![format!("{}\n", a.student.name)];
        for i in &a.items {
            let mut l = format!("  {}-{}  {}", i.start, i.end, i.title);
            if !i.detail.is_empty() {
                l.push_str(&format!(" - {}", i.detail));
            }
            lines.push(l);
        }
        assert_in_order(body, &lines);
    }

    // The webhook got the same agenda as JSON, keyed by the job id.
    let reqs = hook.requests();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    let r = &reqs[0];
    assert!(
        r.head.starts_with("POST /hooks/brightpath HTTP/1.1\r\n"),
        "{}",
        r.head
    );
    assert_eq!(header(&r.head, "Content-Type"), Some("application/json"));
    let job_id = job.id.to_string();
    assert_eq!(header(&r.head, "Idempotency-Key"), Some(job_id.as_str()));
    assert_eq!(r.body["event"], DAILY_AGENDA);
    assert_eq!(r.body["job_id"], job_id);
    assert_eq!(r.body["family_id"], s.family.id);
    assert_eq!(r.body["family"], "Rivera Family");
    assert_eq!(r.body["date"], TODAY);
    // The SMTP transport ends the body with a line break of its own.
    assert_eq!(
        r.body["text"].as_str().map(str::trim_end),
        Some(body.trim_end())
    );
    let posted = r.body["agenda"].as_array().expect("agenda");
    assert_eq!(posted.len(), agendas.len());
    for (p, a) in posted.iter().zip(&agendas) {
        assert_eq!(p["student"]["name"], a.student.name);
        let titles: Vec<&str> = p["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["title"].as_str().expect("title"))
            .collect();
        let want: Vec<&str> = a.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, want);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weekly_plan_is_sent_after_plan_week_succeeds() {
    let Some(smtp) = smtpd() else { return };
    let hook = hook(204).await;
    let s = school(false).await;
    let w = worker(&s.store, config(Some(&smtp), Some(&hook))).await;
    let plan = w
        .enqueue(
            Queue::SCHEDULES,
            PLAN_WEEK,
            json!({"family_id": s.family.id, "date": TODAY}),
        )
        .await;
    let plan = w.finished(&plan).await;
    assert_eq!(plan.status, Status::Succeeded, "{:?}", plan.last_error);
    let notify_job = plan.result.expect("result")["notify_job"]
        .as_str()
        .expect("plan.week queued a notification")
        .to_owned();
    let job = w.finished(&notify_job).await;
    w.stop().await;
    assert_eq!(job.kind, WEEKLY_PLAN);
    assert_eq!(job.status, Status::Succeeded, "{:?}", job.last_error);

    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let m = &mails[0];
    assert_eq!(m["rcpt_tos"], json!(["maria@example.org"]));
    assert_eq!(
        m["subject"],
        "Weekly plan \u{2014} Rivera Family \u{2014} week of Mon 30 Nov"
    );
    // Lines travel as CRLF; compare with the text as composed.
    let body = &m["body"].as_str().expect("body").replace("\r\n", "\n");
    let week = view::load_week(&s.store, &s.family, date(TODAY))
        .await
        .expect("week");
    assert!(week.planned);
    // Each school day in order with every child; the demo's holiday is Friday.
    let mut days: Vec<String> = [
        "Monday 30 November",
        "Tuesday 1 December",
        "Wednesday 2 December",
    ]
    .iter()
    .map(|d| format!("{d} 2026\n"))
    .collect();
    days.push("Friday 4 December 2026: Family holiday, no lessons".into());
    assert_in_order(body, &days);
    for st in &week.students {
        assert!(body.contains(&format!("  {}\n", st.name)), "{body}");
    }
    for sess in week.sessions.iter().filter(|x| x.date == date(TODAY)) {
        assert!(
            body.contains(&sess.course),
            "{} missing:\n{body}",
            sess.course
        );
    }

    let reqs = hook.requests();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    let r = &reqs[0].body;
    assert_eq!(r["event"], WEEKLY_PLAN);
    assert_eq!(r["week_start"], "2026-11-30");
    assert_eq!(r["days"].as_array().expect("days").len(), 7);
    assert_eq!(r["days"][4]["off"], "Family holiday");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_wants_a_login_gets_the_configured_one() {
    let Some(smtp) = smtpd_with_login(Some("relay:hunter2")) else {
        return;
    };
    let s = school(true).await;
    let payload = json!({"family_id": s.family.id, "date": TODAY});
    let with_login = NotifyConfig {
        smtp: SmtpSettings {
            username: Some("relay".into()),
            password: Some("hunter2".into()),
            ..smtp_at(smtp.port)
        },
        ..Default::default()
    };
    let w = worker(&s.store, with_login).await;
    let id = w
        .enqueue(Queue::NOTIFICATIONS, DAILY_AGENDA, payload.clone())
        .await;
    let job = w.finished(&id).await;
    w.stop().await;
    assert_eq!(job.status, Status::Succeeded, "{:?}", job.last_error);
    let mails = smtp.mails();
    assert!(!mails.is_empty());
    assert!(mails.iter().all(|m| m["login"] == "relay"), "{mails:?}");

    // Without the login the relay refuses, and the job says why.
    let w = worker(&s.store, config(Some(&smtp), None)).await;
    let id = w.enqueue(Queue::NOTIFICATIONS, DAILY_AGENDA, payload).await;
    let job = w.finished(&id).await;
    w.stop().await;
    assert_ne!(job.status, Status::Succeeded, "{job:?}");
    assert_eq!(smtp.mails().len(), mails.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_smtp_server_makes_the_job_retry() {
    let s = school(true).await;
    // A port nobody listens on: connections are refused.
    let port = free_port();
    let cfg = NotifyConfig {
        smtp: smtp_at(port),
        ..Default::default()
    };
    let w = worker(&s.store, cfg).await;
    let id = w
        .enqueue(
            Queue::NOTIFICATIONS,
            DAILY_AGENDA,
            json!({"family_id": s.family.id, "date": TODAY}),
        )
        .await;
    let job = w.finished(&id).await;
    w.stop().await;
    assert_eq!(job.status, Status::Failed, "{job:?}");
    assert_eq!(job.attempts, 1);
    let err = job.last_error.expect("error");
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_errors_retry_and_a_bad_url_is_permanent() {
    let s = school(true).await;
    let failing = hook(503).await;
    let w = worker(&s.store, config(None, Some(&failing))).await;
    let payload = json!({"family_id": s.family.id, "date": TODAY});
    let id = w
        .enqueue(Queue::NOTIFICATIONS, DAILY_AGENDA, payload.clone())
        .await;
    let job = w.finished(&id).await;
    w.stop().await;
    assert_eq!(job.status, Status::Failed, "{job:?}");
    assert!(job.last_error.expect("error").contains("HTTP 503"));
    assert_eq!(failing.requests().len(), 1);

    let cfg = NotifyConfig {
        webhook: WebhookSettings {
            url: Some("ftp://example.org/hook".into()),
        },
        ..Default::default()
    };
    let w = worker(&s.store, cfg).await;
    let id = w.enqueue(Queue::NOTIFICATIONS, WEEKLY_PLAN, payload).await;
    let job = w.finished(&id).await;
    w.stop().await;
    assert_eq!(job.status, Status::Dead, "{job:?}");
    assert!(job.last_error.expect("error").contains("webhook.url"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_configured_succeeds_without_sending() {
    let s = school(true).await;
    let w = worker(&s.store, NotifyConfig::default()).await;
    let payload = json!({"family_id": s.family.id, "date": TODAY});
    let daily = w
        .enqueue(Queue::NOTIFICATIONS, DAILY_AGENDA, payload.clone())
        .await;
    let plan = w.enqueue(Queue::SCHEDULES, PLAN_WEEK, payload).await;
    let daily = w.finished(&daily).await;
    let plan = w.finished(&plan).await;
    w.stop().await;
    assert_eq!(daily.status, Status::Succeeded, "{daily:?}");
    let r = daily.result.expect("result");
    assert_eq!(r["sent"], false);
    assert!(r["reason"].as_str().expect("reason").contains("smtp.host"));
    // plan.week queues no notification when there is nowhere to send it.
    assert_eq!(plan.status, Status::Succeeded, "{plan:?}");
    assert_eq!(plan.result.expect("result")["notify_job"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_without_lessons_sends_nothing() {
    let s = school(true).await;
    let hook = hook(200).await;
    let w = worker(&s.store, config(None, Some(&hook))).await;
    // Saturday, and the Friday holiday.
    let mut results = Vec::new();
    for d in ["2026-12-05", "2026-12-04"] {
        let id = w
            .enqueue(
                Queue::NOTIFICATIONS,
                DAILY_AGENDA,
                json!({"family_id": s.family.id, "date": d}),
            )
            .await;
        results.push(w.finished(&id).await);
    }
    w.stop().await;
    for j in &results {
        assert_eq!(j.status, Status::Succeeded, "{j:?}");
        assert_eq!(j.result.as_ref().expect("result")["sent"], false, "{j:?}");
    }
    let holiday = results[1].result.as_ref().expect("result")["reason"].to_string();
    assert!(holiday.contains("Family holiday"), "{holiday}");
    assert!(hook.requests().is_empty());
}
