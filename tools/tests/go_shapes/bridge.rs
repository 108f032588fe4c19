//! A bridge of the shapes the fixtures leave out, for the Go backend: `DiplomatOption`
//! parameters, an enum as the error, `Result<(), ()>`, `Option` returns, primitive arrays
//! written out, other primitive slices (mutable too), borrowed text out, a stringifier and a
//! free function. `go_backend.rs` builds it, generates its Go and runs `shapes_test.go`.
#[diplomat::bridge]
pub mod ffi {
    use diplomat_runtime::DiplomatOption;
    pub struct Pt { pub x: i32, pub y: i32 }
    #[diplomat::attr(auto, error)]
    pub enum Problem { Bad = 1, Worse = 2 }
    pub enum Mode { A, B }
    #[diplomat::opaque]
    pub struct Thing(u8);
    impl Thing {
        pub fn new() -> Box<Thing> { Box::new(Thing(1)) }
        pub fn maybe(&self, n: DiplomatOption<u32>, p: DiplomatOption<Pt>, m: DiplomatOption<Mode>) -> u32 { n.into_option().unwrap_or(0) + p.into_option().map_or(0, |p| p.x as u32) + m.into_option().map_or(0, |_| 1) }
        pub fn fail(&self, yes: bool) -> Result<u8, Problem> { if yes { Err(Problem::Bad) } else { Ok(1) } }
        pub fn unit_fail(&self) -> Result<(), ()> { Err(()) }
        pub fn half(&self, v: u32) -> Option<u32> { (v % 2 == 0).then_some(v / 2) }
        pub fn name(&self, _out: &mut diplomat_runtime::DiplomatWrite) -> Option<()> { None }
        pub fn ints(&self, out: &mut diplomat_runtime::DiplomatWriteGeneric<u32>) { out.write_slice(&[1,2]); }
        pub fn sum(&self, v: &[i64]) -> i64 { v.iter().sum() }
        pub fn fill(&self, v: &mut [u16]) { for x in v { *x = 7; } }
        pub fn text<'a>(&'a self) -> &'a str { "hi" }
        #[diplomat::attr(auto, stringifier)]
        pub fn to_string(&self, out: &mut diplomat_runtime::DiplomatWrite) { let _ = std::fmt::Write::write_str(out, "thing"); }
    }
    pub fn free_fn(a: i32) -> i32 { a }
}
