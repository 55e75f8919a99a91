//! `desktop:pullCustomers`: a store's fans in `(updatedAt, _id)` order from an inclusive `since`,
//! deleted ones included with `deletedAt` set.

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
    let a: Args = parse("desktop:pullCustomers", args)?;
    let store = store_of(state, ctx, &a.store_id)?;
    let binding = format!("desktop:pullCustomers|{}|{}", a.store_id, since_key(a.since));
    let paging = Paging::open(&a.pagination_opts, binding, a.since)?;
    Ok(paging.page(&store.by_update, ctx.faults.split_above(), |(_, id), _, out| {
        out.push_str(store.customer_json(id).expect("the index only names stored customers"))
    }))
}
