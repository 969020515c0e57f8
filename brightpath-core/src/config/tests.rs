use std::collections::HashMap;

use super::show::redact;
use super::*;

fn env_of(pairs: &[(&str, String)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    move |k| map.get(k).cloned()
}

/// A config file at `$XDG_CONFIG_HOME/brightpath/config.toml` holding `text`,
/// and the environment pointing there plus `more`.
fn with_file(
    text: &str,
    more: &[(&str, &str)],
) -> (tempfile::TempDir, impl Fn(&str) -> Option<String> + use<>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg_dir = dir.path().join("cfg/brightpath");
    std::fs::create_dir_all(&cfg_dir).expect("mkdir");
    std::fs::write(cfg_dir.join("config.toml"), text).expect("write");
    let mut pairs = vec![
        ("HOME", dir.path().display().to_string()),
        (
            "XDG_CONFIG_HOME",
            dir.path().join("cfg").display().to_string(),
        ),
    ];
    pairs.extend(more.iter().map(|(k, v)| (*k, v.to_string())));
    let env = env_of(&pairs);
    (dir, env)
}

fn load(env: &dyn Fn(&str) -> Option<String>) -> crate::Result<Config> {
    Config::load(&Overrides::default(), env)
}

fn shown<'a>(all: &'a [Shown], key: &str) -> &'a Shown {
    all.iter().find(|s| s.key == key).expect("shown")
}

#[test]
fn layers_apply_in_order_default_file_env_flag() {
    let (_dir, env) = with_file(
        "database_url = \"sqlite:///from-file.db\"\nlog_format = \"json\"\ncolor = \"never\"\n",
        &[
            ("BRIGHTPATH_DATABASE_URL", "sqlite:///from-env.db"),
            ("BRIGHTPATH_LOG_FORMAT", "text"),
        ],
    );
    let flags = Overrides {
        config_file: None,
        values: vec![("database_url", "sqlite:///from-flag.db".into())],
    };
    let c = Config::load(&flags, &env).expect("load");
    assert_eq!(c.settings.database_url, "sqlite:///from-flag.db");
    assert_eq!(c.source("database_url"), Source::Flag("--db".into()));
    assert_eq!(c.settings.log_format, LogFormat::Text);
    assert_eq!(
        c.source("log_format"),
        Source::Env("BRIGHTPATH_LOG_FORMAT".into())
    );
    assert_eq!(c.settings.color, ColorChoice::Never);
    assert!(matches!(c.source("color"), Source::File(_)));
    assert_eq!(c.settings.queue_prefix, "brightpath:");
    assert_eq!(c.source("queue_prefix"), Source::Default);

    let no_flags = load(&env).expect("load");
    assert_eq!(no_flags.settings.database_url, "sqlite:///from-env.db");
}

#[test]
fn default_database_lives_in_xdg_data_home() {
    let env = env_of(&[("HOME", "/home/pat".into())]);
    let c = load(&env).expect("load");
    assert_eq!(
        c.settings.database_url,
        "sqlite:///home/pat/.local/share/brightpath/brightpath.db"
    );
    let env = env_of(&[
        ("HOME", "/home/pat".into()),
        ("XDG_DATA_HOME", "/data".into()),
    ]);
    let c = load(&env).expect("load");
    assert_eq!(
        c.settings.database_url,
        "sqlite:///data/brightpath/brightpath.db"
    );
}

#[test]
fn nested_sections_come_from_the_file_and_double_underscore_variables() {
    let (_dir, env) = with_file(
        "[smtp]\nhost = \"mail.local\"\nport = 2525\nfrom = \"BrightPath <plans@example.org>\"\n\n\
         [tui]\nmouse = false\n\n[worker]\nvisibility_timeout = 60\n",
        &[
            ("BRIGHTPATH_SMTP__HOST", "127.0.0.1"),
            ("BRIGHTPATH_WORKER__HEARTBEAT", "10"),
            ("BRIGHTPATH_TODAY", "2026-09-14"),
        ],
    );
    let c = load(&env).expect("load");
    let s = &c.settings;
    assert_eq!(s.smtp.host.as_deref(), Some("127.0.0.1"));
    assert_eq!(s.smtp.port, 2525);
    assert_eq!(
        s.smtp.from.as_deref(),
        Some("BrightPath <plans@example.org>")
    );
    assert!(!s.tui.mouse);
    assert_eq!(s.worker.visibility_timeout, 60.0);
    assert_eq!(s.worker.heartbeat, Some(10.0));
    assert_eq!(
        s.today.map(|d| d.to_string()).as_deref(),
        Some("2026-09-14")
    );
    assert_eq!(
        c.source("smtp.host"),
        Source::Env("BRIGHTPATH_SMTP__HOST".into())
    );
    assert!(matches!(c.source("smtp.port"), Source::File(_)));
    assert_eq!(c.source("smtp.username"), Source::Default);
    assert_eq!(c.source("today"), Source::Env("BRIGHTPATH_TODAY".into()));
}

#[test]
fn older_flat_names_still_work_below_the_canonical_ones() {
    let env = env_of(&[
        ("HOME", "/nowhere".into()),
        (
            "BRIGHTPATH_SMTP_URL",
            "smtp://relay:s3cret@127.0.0.1:2525".into(),
        ),
        ("BRIGHTPATH_SMTP_FROM", "plans@example.org".into()),
        ("BRIGHTPATH_WEBHOOK_URL", "http://127.0.0.1:9/hook".into()),
        ("BRIGHTPATH_TUI_MOUSE", "off".into()),
        ("BRIGHTPATH_VISIBILITY_TIMEOUT", "12".into()),
        ("BRIGHTPATH_HEARTBEAT", "3".into()),
    ]);
    let c = load(&env).expect("load");
    let s = &c.settings;
    assert_eq!(s.smtp.host.as_deref(), Some("127.0.0.1"));
    assert_eq!(s.smtp.port, 2525);
    assert_eq!(s.smtp.username.as_deref(), Some("relay"));
    assert_eq!(s.smtp.password.as_deref(), Some("s3cret"));
    assert_eq!(s.smtp.from.as_deref(), Some("plans@example.org"));
    assert_eq!(s.webhook.url.as_deref(), Some("http://127.0.0.1:9/hook"));
    assert!(!s.tui.mouse);
    assert_eq!(s.worker.visibility_timeout, 12.0);
    assert_eq!(s.worker.heartbeat, Some(3.0));
    assert_eq!(
        c.source("smtp.port"),
        Source::Env("BRIGHTPATH_SMTP_URL".into())
    );

    // The canonical name wins over the older one.
    let env = env_of(&[
        ("HOME", "/nowhere".into()),
        ("BRIGHTPATH_SMTP_URL", "smtp://old.example:25".into()),
        ("BRIGHTPATH_SMTP__HOST", "new.example".into()),
        ("BRIGHTPATH_TUI_MOUSE", "off".into()),
        ("BRIGHTPATH_TUI__MOUSE", "on".into()),
    ]);
    let c = load(&env).expect("load");
    assert_eq!(c.settings.smtp.host.as_deref(), Some("new.example"));
    assert!(c.settings.tui.mouse);
    assert_eq!(
        c.source("tui.mouse"),
        Source::Env("BRIGHTPATH_TUI__MOUSE".into())
    );

    // Blank optional values are unset, as before.
    let env = env_of(&[
        ("HOME", "/nowhere".into()),
        ("BRIGHTPATH_SMTP_URL", "  ".into()),
        ("BRIGHTPATH_WEBHOOK__URL", "".into()),
    ]);
    let c = load(&env).expect("load");
    assert_eq!(c.settings.smtp.host, None);
    assert_eq!(c.settings.webhook.url, None);
}

#[test]
fn smtp_urls_that_cannot_work_are_refused_by_name() {
    for bad in [
        "smtps://mail:465",
        "http://mail",
        "smtp://mail:99999",
        "smtp://",
        "mail:25",
        "smtp://mail/path",
    ] {
        let env = env_of(&[("HOME", "/x".into()), ("BRIGHTPATH_SMTP_URL", bad.into())]);
        let err = load(&env).expect_err(bad).to_string();
        assert!(err.contains("BRIGHTPATH_SMTP_URL"), "{bad}: {err}");
    }
    let env = env_of(&[
        ("HOME", "/x".into()),
        ("BRIGHTPATH_SMTP_URL", "smtp://[::1]".into()),
    ]);
    let c = load(&env).expect("v6");
    assert_eq!(c.settings.smtp.host.as_deref(), Some("::1"));
    assert_eq!(c.settings.smtp.port, 25);
}

#[test]
fn bad_values_name_the_key_the_source_and_the_type() {
    let (_dir, env) = with_file("[smtp]\nport = \"abc\"\n", &[]);
    let err = load(&env).expect_err("bad port");
    assert_eq!(err.kind(), crate::ErrorKind::Invalid);
    let text = err.to_string();
    assert!(text.contains("smtp.port"), "{text}");
    assert!(text.contains("config.toml"), "{text}");
    assert!(text.contains("port number"), "{text}");

    let env = env_of(&[
        ("HOME", "/x".into()),
        ("BRIGHTPATH_SMTP__PORT", "99999".into()),
    ]);
    let text = load(&env).expect_err("too big").to_string();
    assert!(text.contains("BRIGHTPATH_SMTP__PORT"), "{text}");

    for (var, value) in [
        ("BRIGHTPATH_COLOR", "purple"),
        ("BRIGHTPATH_LOG_FORMAT", "xml"),
        ("BRIGHTPATH_TUI__MOUSE", "maybe"),
        ("BRIGHTPATH_TODAY", "someday"),
        ("BRIGHTPATH_CONNECT_TIMEOUT", "0"),
        ("BRIGHTPATH_CONNECT_TIMEOUT", "soon"),
        ("BRIGHTPATH_WORKER__VISIBILITY_TIMEOUT", "-1"),
    ] {
        let env = env_of(&[("HOME", "/x".into()), (var, value.into())]);
        let text = load(&env).expect_err(var).to_string();
        assert!(text.contains(var), "{var}={value}: {text}");
    }

    let env = env_of(&[
        ("HOME", "/x".into()),
        ("BRIGHTPATH_WORKER__VISIBILITY_TIMEOUT", "10".into()),
        ("BRIGHTPATH_HEARTBEAT", "6".into()),
    ]);
    let text = load(&env).expect_err("heartbeat").to_string();
    assert!(text.contains("worker.heartbeat"), "{text}");
    assert!(text.contains("more than half"), "{text}");
}

#[test]
fn a_secret_with_a_bad_type_is_not_echoed() {
    let (_dir, env) = with_file("[smtp]\npassword = [\"hunter2\"]\n", &[]);
    let text = load(&env).expect_err("array").to_string();
    assert!(text.contains("smtp.password"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn unknown_keys_in_the_file_are_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.toml");
    let env = env_of(&[("HOME", "/nowhere".into())]);
    for (text, key) in [
        ("databse_url = \"x\"\n", "databse_url"),
        ("[smtp]\nhots = \"x\"\n", "smtp.hots"),
        ("[smpt]\nhost = \"x\"\n", "smpt"),
    ] {
        std::fs::write(&file, text).expect("write");
        let flags = Overrides {
            config_file: Some(file.clone()),
            values: vec![],
        };
        let err = Config::load(&flags, &env).expect_err("typo refused");
        let msg = err.to_string();
        assert!(msg.contains(key), "{msg}");
        assert!(msg.contains("c.toml"), "{msg}");
    }
    let flags = Overrides {
        config_file: Some(dir.path().join("missing.toml")),
        values: vec![],
    };
    let err = Config::load(&flags, &env).expect_err("missing explicit file");
    assert!(err.to_string().contains("missing.toml"), "{err}");
}

#[test]
fn secrets_are_redacted_in_show() {
    let env = env_of(&[
        ("HOME", "/nowhere".into()),
        (
            "BRIGHTPATH_DATABASE_URL",
            "postgres://bp:hunter2@db/bp".into(),
        ),
        ("BRIGHTPATH_SMTP__HOST", "127.0.0.1".into()),
        ("BRIGHTPATH_SMTP__PASSWORD", "hunter3".into()),
        (
            "BRIGHTPATH_WEBHOOK__URL",
            "http://hooks.local:8080/T0/B0/token?k=v".into(),
        ),
    ]);
    let c = load(&env).expect("load");
    let all = c.shown();
    assert_eq!(all.len(), KEYS.len());
    assert_eq!(
        shown(&all, "database_url").value.as_deref(),
        Some("postgres://bp:***@db/bp")
    );
    let pw = shown(&all, "smtp.password");
    assert_eq!(pw.value.as_deref(), Some("***"));
    assert_eq!(pw.env, "BRIGHTPATH_SMTP__PASSWORD");
    assert_eq!(
        shown(&all, "webhook.url").value.as_deref(),
        Some("http://hooks.local:8080/***")
    );
    assert_eq!(shown(&all, "smtp.username").value, None);
    assert_eq!(shown(&all, "smtp.port").value.as_deref(), Some("25"));
    assert_eq!(shown(&all, "tui.mouse").value.as_deref(), Some("true"));
    let debug = format!("{all:?}");
    assert!(!debug.contains("hunter"), "{debug}");
    assert!(!debug.contains("token"), "{debug}");
}

#[test]
fn redaction_of_each_kind() {
    assert_eq!(redact(Secret::Whole, ""), "");
    assert_eq!(redact(Secret::Whole, "x"), "***");
    assert_eq!(
        redact(Secret::UrlPassword, "valkey://:pw@h:6379"),
        "valkey://:***@h:6379"
    );
    assert_eq!(redact(Secret::UrlPath, "http://h:9/"), "http://h:9/");
    assert_eq!(redact(Secret::UrlPath, "http://u:p@h/x"), "http://h/***");
    assert_eq!(redact(Secret::UrlPath, "not a url"), "***");
}

#[test]
fn every_key_is_a_field_and_every_field_a_key() {
    let c = load(&env_of(&[("HOME", "/x".into())])).expect("load");
    let all = serde_json::to_value(&c.settings).expect("json");
    let mut fields = Vec::new();
    for (k, v) in all.as_object().expect("object") {
        match v.as_object() {
            Some(section) => {
                assert!(SECTIONS.contains(&k.as_str()), "{k}");
                fields.extend(section.keys().map(|f| format!("{k}.{f}")));
            }
            None => fields.push(k.clone()),
        }
    }
    let mut keys: Vec<String> = KEYS.iter().map(|k| k.path.to_string()).collect();
    fields.sort();
    keys.sort();
    assert_eq!(fields, keys);
}

#[test]
fn colour_choice() {
    assert!(ColorChoice::Always.wanted(Some("1"), false));
    assert!(!ColorChoice::Never.wanted(None, true));
    assert!(ColorChoice::Auto.wanted(None, true));
    assert!(ColorChoice::Auto.wanted(Some(""), true));
    assert!(!ColorChoice::Auto.wanted(Some("1"), true));
    assert!(!ColorChoice::Auto.wanted(None, false));
}

#[test]
fn misspelt_variables_are_found() {
    let names = [
        "BRIGHTPATH_DATABSE_URL",
        "BRIGHTPATH_DATABASE_URL",
        "BRIGHTPATH_SMTP__HOTS",
        "BRIGHTPATH_SMTP__HOST",
        "BRIGHTPATH_SMTP_URL",
        "BRIGHTPATH_CONFIG",
        "BRIGHTPATH_TEST_DATABASE_URL",
        "HOME",
    ];
    assert_eq!(
        unknown_variables(names),
        ["BRIGHTPATH_DATABSE_URL", "BRIGHTPATH_SMTP__HOTS"]
    );
}
