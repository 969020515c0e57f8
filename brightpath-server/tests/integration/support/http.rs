//! What the test receivers (webhook, Sentry, https) share: a free port and
//! reading one HTTP/1.1 request (its head, and a body of Content-Length).

#![allow(dead_code)]

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A header's value; names are case-insensitive (reqwest sends them in lower case).
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then_some(v)
        })
        .map(str::trim)
}

fn content_length(head: &str) -> usize {
    header(head, "Content-Length")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The request line and headers (up to the blank line), then the body.
pub async fn read_request<R: AsyncBufRead + Unpin>(reader: &mut R) -> (String, Vec<u8>) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; content_length(&head)];
    let _ = reader.read_exact(&mut body).await;
    (head, body)
}

/// [`read_request`] on a blocking reader.
pub fn read_request_sync<R: std::io::BufRead>(reader: &mut R) -> (String, Vec<u8>) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; content_length(&head)];
    let _ = reader.read_exact(&mut body);
    (head, body)
}
