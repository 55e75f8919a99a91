//! Seeding: the generator is deterministic and realistic, a seed survives a JSON round trip, and a
//! seed file that does not fit together is refused with a message naming the record.

use fanbase_emulator::{Emulator, Generate, Role, Seed};

const NOW: i64 = 1_760_000_000_000;

fn gen(seed: u64) -> Seed {
    Seed::generate(&Generate { seed, now: NOW, stores: 3, customers_per_store: 500, users: 40, events_per_store: 300 })
}

#[test]
fn the_generator_is_deterministic() {
    // assert! rather than assert_eq!: a failure must not print thousands of records.
    assert!(gen(9) == gen(9), "the same options give the same data");
    assert!(gen(9).customers != gen(10).customers, "another seed gives other data");
}

#[test]
fn generated_data_fits_the_contract_and_the_demo() {
    let s = gen(3);
    assert_eq!((s.users.len(), s.stores.len(), s.customers.len(), s.events.len()), (40, 3, 1500, 900));
    assert!(s.users[0].admin && !s.users[1].admin, "user 0 is the admin, user 1 the creator");
    assert_eq!(s.users.iter().filter(|u| u.admin).count(), 1, "one admin");
    assert_eq!(s.stores[0].owner_id, s.users[1].id, "the creator owns the first store");
    assert!(s.customers.iter().all(|c| c.updated_at >= c.creation_time && c.updated_at < NOW), "times are in the past");
    assert!(s.events.iter().all(|e| e.at < NOW));
    assert!(s.customers.iter().all(|c| c.email.is_ascii()), "ASCII fan emails");
    assert!(s.users.iter().all(|u| u.email.is_ascii()), "ASCII user emails");
    let user_emails: std::collections::HashSet<_> = s.users.iter().map(|u| u.email.to_lowercase()).collect();
    let fans_who_are_users = s.customers.iter().filter(|c| user_emails.contains(&c.email.to_lowercase())).count();
    assert!(fans_who_are_users > 0, "some fans are registered users, so conversion is not zero");
    assert!(s.users.iter().any(|u| u.role == Role::SubaccountUser), "students exist");
    assert!(s.users.iter().any(|u| u.stripe_connect_account_id.is_some()), "creators exist");
    assert_eq!(s.tokens.len(), 2, "an admin and a creator token");
}

#[tokio::test]
async fn a_seed_round_trips_through_json() {
    let s = gen(4);
    let text = serde_json::to_string(&s).unwrap();
    let back = Seed::from_json(&text).unwrap();
    assert!(back == s, "what --dump-seed writes, --seed-file reads back the same");
    let emu = Emulator::start(back).await.unwrap();
    assert_eq!(emu.admin_token(), s.tokens[0].token, "the seed's tokens are the demo tokens");
    assert_eq!(emu.state().stores()[0].live_customers, 500);
}

#[tokio::test]
async fn a_minimal_seed_file_gets_demo_tokens() {
    let text = r#"{
      "users": [
        {"_id": "u1", "_creationTime": 1, "clerkId": "c1", "email": "a@x.io", "name": "A", "role": "AGENCY_OWNER", "admin": true, "updatedAt": 1},
        {"_id": "u2", "_creationTime": 1, "clerkId": "c2", "email": "b@x.io", "name": "B", "role": "AGENCY_OWNER", "updatedAt": 1}
      ],
      "stores": [{"_id": "s1", "name": "B's", "ownerId": "u2"}],
      "customers": [{"_id": "k1", "_creationTime": 1, "storeId": "s1", "email": "fan@x.io", "updatedAt": 2, "totalSpent": 9.99}]
    }"#;
    let emu = Emulator::start(Seed::from_json(text).unwrap()).await.unwrap();
    assert!(emu.admin_token().starts_with("fbdt_"), "a token is issued for the first admin");
    assert_eq!(emu.creator_store_id(), "s1");
    let fan = emu.state().customer("k1").unwrap();
    assert_eq!((fan.total_spent_cents, fan.admin_user_id.as_str()), (999, "u2"), "defaults are filled in");
}

#[test]
fn a_seed_that_does_not_fit_is_refused_with_the_record_named() {
    let orphan = r#"{"customers": [{"_id": "k1", "_creationTime": 1, "storeId": "nowhere", "email": "f@x.io", "updatedAt": 1}]}"#;
    let why = Seed::from_json(orphan).unwrap().load().unwrap_err();
    assert!(why.contains("k1") && why.contains("nowhere"), "the message names the customer and store: {why}");
    let why = Seed::from_json(r#"{"shops": []}"#).unwrap_err();
    assert!(why.contains("shops"), "unknown keys are refused: {why}");
    let why =
        Seed::from_json(r#"{"stores": [{"_id": "s", "name": "n", "ownerId": "ghost"}]}"#).unwrap().load().unwrap_err();
    assert!(why.contains("ghost"), "a store's owner must be a user: {why}");
}

#[test]
fn a_detached_emulator_serves_plain_synchronous_clients() {
    use std::io::{Read, Write};

    let emu = Emulator::start_detached(gen(5)).unwrap();
    let body = r#"{"path":"desktop:whoami","args":{},"format":"json"}"#;
    let addr = emu.url().trim_start_matches("http://").to_string();
    let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
    let request = format!(
        "POST /api/query HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        emu.admin_token(),
        body.len()
    );
    tcp.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "no tokio runtime is needed by the caller: {answer}");
    assert!(answer.contains(r#""admin":true"#), "the admin token speaks for the admin");
}
