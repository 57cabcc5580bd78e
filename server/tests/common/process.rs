//! A real `toolwire serve` child process for tests: started on 127.0.0.1:0 against a
//! simulator, its address read from its log, its memory read from /proc, stopped by signal.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use toolwire_sim::Sim;

use super::API_KEY;

pub struct ServerProcess {
    pub child: tokio::process::Child,
    pub pid: u32,
    pub base: String,
    pub log: PathBuf,
}

/// One memory sample of the server process.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// VmRSS: everything resident, including the (large, debug) binary's mapped pages.
    pub rss_kib: u64,
    /// RssAnon: the heap and stacks, where a leak shows.
    pub anon_kib: u64,
}

impl ServerProcess {
    /// `toolwire serve` on 127.0.0.1:0 with a fresh data dir, trusting the sim's CA and sending
    /// every `*.zendesk.com` request to it (as benches/server_common.sh does).
    pub async fn start(sim: &Sim, dir: &Path) -> ServerProcess {
        Self::start_with(sim, dir, &[], &[]).await
    }

    /// Like [`ServerProcess::start`] with extra `serve` flags and environment variables.
    pub async fn start_with(
        sim: &Sim,
        dir: &Path,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> ServerProcess {
        let ca = dir.join("sim-ca.pem");
        std::fs::write(&ca, sim.ca_pem()).expect("write CA");
        let log = dir.join("server.log");
        let log_file = std::fs::File::create(&log).expect("server log");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_toolwire"))
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(dir.join("data"))
            .arg("--extra-ca")
            .arg(&ca)
            .arg("--resolve")
            .arg(format!("zendesk.com={}", sim.addr()))
            .arg("--connectors")
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors"))
            .env("TOOLWIRE_API_KEY", API_KEY)
            .env_remove("TOOLWIRE_MASTER_KEY") // data/master.key is generated
            .env_remove("TOOLWIRE_DATABASE_URL")
            .env_remove("TOOLWIRE_REDIS_URL")
            .env_remove("TOOLWIRE_AUDIT_LOG")
            .env_remove("TOOLWIRE_PUBLIC_URL")
            .env_remove("TOOLWIRE_OUTBOUND_IP")
            .env_remove("RUST_LOG")
            .args(args)
            .envs(envs.iter().copied())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(log_file)
            .kill_on_drop(true)
            .spawn()
            .expect("spawn toolwire serve");
        let pid = child.id().expect("pid");
        let mut server = ServerProcess {
            child,
            pid,
            base: String::new(),
            log,
        };
        server.base = server.wait_ready().await;
        server
    }

    /// Reads the listen address from the log, then polls `/readyz` until 200.
    pub async fn wait_ready(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let http = reqwest::Client::new();
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                panic!("server exited with {status}: {}", self.log_tail());
            }
            if let Some(base) = self.listen_address() {
                let ok = http.get(format!("{base}/readyz")).send().await;
                if ok.is_ok_and(|r| r.status() == 200) {
                    return base;
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("server not ready in 30 s: {}", self.log_tail());
    }

    pub fn listen_address(&self) -> Option<String> {
        let log = std::fs::read_to_string(&self.log).ok()?;
        let line = log
            .lines()
            .find(|l| l.starts_with("toolwire REST API on "))?;
        line.split_whitespace()
            .nth(4)
            .map(|u| u.trim_end_matches('/').to_string())
    }

    pub fn rss_kib(&self) -> u64 {
        self.proc_status_kib("VmRSS")
    }

    pub fn memory(&self) -> Memory {
        Memory {
            rss_kib: self.proc_status_kib("VmRSS"),
            anon_kib: self.proc_status_kib("RssAnon"),
        }
    }

    /// A `kB` field of /proc/PID/status (VmRSS, VmHWM, RssAnon, RssFile).
    pub fn proc_status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("{field} in /proc/PID/status"))
    }

    pub fn rss_detail(&self) -> String {
        format!(
            "peak {} KiB; anon {} KiB, file {} KiB",
            self.proc_status_kib("VmHWM"),
            self.proc_status_kib("RssAnon"),
            self.proc_status_kib("RssFile")
        )
    }

    /// `POST {path}` with the API key; status and JSON body.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .bearer_auth(API_KEY)
            .json(&body)
            .send()
            .await
            .expect("request");
        (r.status().as_u16(), r.json().await.expect("JSON body"))
    }

    /// Connects `identifier` to sim tenant `sub`'s first agent (verified live); panics unless 200.
    pub async fn connect(&self, sim: &Sim, identifier: &str, sub: &str) {
        let agent = sim.tenant(sub).unwrap().agent().unwrap().clone();
        let (status, body) = self
            .post(
                "/v1/connected_accounts",
                json!({
                    "connection_name": "zendesk",
                    "identifier": identifier,
                    "config": {"subdomain": sub},
                    "credentials": {"email": agent.email, "api_token": agent.api_token},
                }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// SIGTERM: what `kill`, systemd and Kubernetes send to stop a process.
    pub async fn send_sigterm(&self) {
        // The shell's builtin `kill`: no procps needed, no libc dependency.
        let sent = tokio::process::Command::new("sh")
            .args(["-c", &format!("kill -TERM {}", self.pid)])
            .status()
            .await
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {}", self.pid);
    }

    pub async fn wait_exit(&mut self) -> std::process::ExitStatus {
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(status) => status.expect("wait"),
            Err(_) => panic!(
                "server still running 30 s after SIGTERM: {}",
                self.log_tail()
            ),
        }
    }

    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}
