//! A fresh PostgreSQL schema per test on `TOOLWIRE_TEST_POSTGRES_URL` (skipped loudly without
//! it), selected through the URL's `search_path`.

pub struct PgSchema {
    admin: sqlx::PgPool,
    name: String,
    /// Connection URL whose `search_path` is the schema.
    pub url: String,
}

impl PgSchema {
    /// `None` (and a `SKIPPED {test}` line) when `TOOLWIRE_TEST_POSTGRES_URL` is not set.
    pub async fn create(test: &str) -> Option<PgSchema> {
        let Ok(server_url) = std::env::var("TOOLWIRE_TEST_POSTGRES_URL") else {
            eprintln!("SKIPPED {test} (set TOOLWIRE_TEST_POSTGRES_URL)");
            return None;
        };
        let name = format!("t_srv_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&server_url)
            .await
            .expect("postgres reachable");
        sqlx::query(&format!("CREATE SCHEMA {name}"))
            .execute(&admin)
            .await
            .unwrap();
        let sep = if server_url.contains('?') { "&" } else { "?" };
        let url = format!("{server_url}{sep}options=-c%20search_path%3D{name}");
        Some(PgSchema { admin, name, url })
    }

    pub async fn drop_schema(self) {
        sqlx::query(&format!("DROP SCHEMA {} CASCADE", self.name))
            .execute(&self.admin)
            .await
            .unwrap();
    }
}
