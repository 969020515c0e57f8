pub fn placeholder() {}

pub mod worker;
