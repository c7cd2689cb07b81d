//! Area "experiences" of the contract: the schedules of the property's inventories. (Places,
//! attractions and activities themselves are handled with the other inventory kinds, in
//! `crate::inventory`.)

mod schedule_answer;
pub mod scheduler;
