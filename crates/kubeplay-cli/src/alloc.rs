//! The allocator of native builds: the `kubeplay` binary, and the rollout benchmark (which
//! includes this file, so that it measures what the binary runs). The page, on wasm, keeps
//! its own allocator.

/// mimalloc, asked for plain blocks when the alignment is one every block of that size has
/// (`mimalloc::MiMalloc` always takes the aligned entry points, which check the alignment
/// and, for blocks over 1 KiB, go the long way round): 4% fewer instructions in a rollout.
pub struct Mi;

/// What mimalloc guarantees of every block of at least this size (`MI_MAX_ALIGN_SIZE`; its
/// own aligned entry points take the plain path under the same condition).
const MI_MAX_ALIGN: usize = 16;

fn plain(l: std::alloc::Layout) -> bool {
    l.align() <= MI_MAX_ALIGN && l.align() <= l.size()
}

unsafe impl std::alloc::GlobalAlloc for Mi {
    #[inline]
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        if plain(l) {
            mi_malloc(l.size()) as *mut u8
        } else {
            mimalloc::MiMalloc.alloc(l)
        }
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, l: std::alloc::Layout) -> *mut u8 {
        if plain(l) {
            mi_zalloc(l.size()) as *mut u8
        } else {
            mimalloc::MiMalloc.alloc_zeroed(l)
        }
    }
    #[inline]
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        mimalloc::MiMalloc.dealloc(p, l)
    }
    #[inline]
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, size: usize) -> *mut u8 {
        if l.align() <= MI_MAX_ALIGN && l.align() <= size {
            mi_realloc(p as *mut std::ffi::c_void, size) as *mut u8
        } else {
            mimalloc::MiMalloc.realloc(p, l, size)
        }
    }
}

extern "C" {
    /// mimalloc's own option setter and plain entry points (compiled in with the allocator).
    fn mi_option_set(option: std::os::raw::c_int, value: std::os::raw::c_long);
    fn mi_malloc(size: usize) -> *mut std::ffi::c_void;
    fn mi_zalloc(size: usize) -> *mut std::ffi::c_void;
    fn mi_realloc(p: *mut std::ffi::c_void, size: usize) -> *mut std::ffi::c_void;
}

/// Keep freed pages instead of giving them back to the OS (mimalloc v2's
/// `mi_option_purge_delay`, option 15, to -1): a rollout frees old pods' memory while it
/// allocates the new pods', and purged pages were faulted in again and zeroed by the kernel,
/// about a sixth of the time of a 10,000-pod rollout. A run is short; what it held goes at exit.
/// (The page, on wasm, keeps its own allocator.)
pub fn keep_freed_pages() {
    // SAFETY: a plain setter of an integer option, called before any other thread exists.
    unsafe { mi_option_set(15, -1) }
}
