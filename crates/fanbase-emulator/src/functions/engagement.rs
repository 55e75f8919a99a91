//! `desktop:pullEngagement`: a store's engagement events in `(at, _id)` order, `at >= since`.

use serde::Deserialize;
use serde_json::Value;

use super::{since_key, store_of, Ctx};
use crate::args::{nullable, parse};
use crate::paging::{PaginationOpts, Paging};
use crate::refusal::{Fail, Json};
use crate::state::State;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Args {
    store_id: String,
    #[serde(deserialize_with = "nullable")]
    since: Option<f64>,
    pagination_opts: PaginationOpts,
}

pub fn pull(state: &mut State, ctx: &Ctx, args: Value) -> Result<Json, Fail> {
    let a: Args = parse("desktop:pullEngagement", args)?;
    let store = store_of(state, ctx, &a.store_id)?;
    let binding = format!("desktop:pullEngagement|{}|{}", a.store_id, since_key(a.since));
    let paging = Paging::open(&a.pagination_opts, binding, a.since)?;
    Ok(paging.page(&store.events, ctx.faults.split_above(), |_, event, out| {
        out.push_str(&serde_json::to_string(event).expect("an event always serialises"))
    }))
}
