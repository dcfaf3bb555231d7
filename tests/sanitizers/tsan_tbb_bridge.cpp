// Tells ThreadSanitizer how oneTBB hands work between threads.
//
// Debian's libtbb is not built with ThreadSanitizer, so TSan does not see the
// synchronisation inside it: a task spawned by one thread and run by another,
// or a parallel loop's results read after tbb::parallel_for returns, look like
// data races (for example partitioner.h's check_being_stolen against the
// task's constructor in the spawning thread). oneTBB reports its hand-offs to
// Intel's ITT notification API instead, for Intel's own race detector: libtbb
// loads the collector named by the environment variable INTEL_LIBITTNOTIFY64
// and calls it where it synchronises. This library is such a collector, and
// turns the notifications into TSan's own annotations:
//   __itt_sync_releasing(p)   -> __tsan_release(p)   (and see below)
//   __itt_sync_acquired(p)    -> __tsan_acquire(p)
// Where the headers notify (the tsan preset compiles everything with
// TBB_USE_PROFILING_TOOLS=2): tbb::detail::d1::spawn releases the task, the
// parallel loops' fold_tree releases and acquires each tree node, and wait()
// acquires the wait_context that every finished task released. These are
// exact: one sync object per address, as TBB intends.
//
// One edge has no address: libtbb's dispatcher notifies nothing when a thread
// picks up a spawned task (its ITT_NOTIFY calls in arena_slot.h are commented
// out in oneTBB 2021), so nothing acquires what spawn released. The
// dispatcher does call __itt_stack_callee_enter just before each
// task->execute() (stack stitching), so every release also goes to one shared
// sync object, and callee_enter acquires it. That orders each task after
// everything released before it started anywhere: more order than TBB
// promises, so a race between two tasks one of which finished before the other
// began is not reported. Races between tasks that run at the same time, and
// between a loop and code outside it, still are.
//
// libtbb also recycles the memory of its task and tree-node objects between
// threads, in its small object pool, with synchronisation TSan cannot see: a
// block one thread used and freed, then constructed into by another, looks
// like a race (partitioner.h node::node, offer_work_impl; seen in
// tbb::parallel_sort). This library defines the pool's entry points that the
// headers call, tbb::detail::r1::deallocate and allocate: a block released
// (__tsan_release on its address) when freed is acquired by whichever thread
// gets it next, before that thread uses it.
//
// A wait that ends in an exception (a loop body threw, e.g. Cancelled) skips
// the header's acquire: libtbb rethrows the task's exception from inside its
// wait with std::rethrow_exception. This library therefore also defines
// std::rethrow_exception, which acquires the shared sync object and calls
// libstdc++'s.
//
// Both definitions replace the real ones only because the TSan test programs
// link this library ahead of libtbb and libstdc++ (the dynamic linker takes
// the first definition it finds); each finds the real one with
// dlsym(RTLD_NEXT).
//
// tests/sanitizers/run-tsan.sh sets INTEL_LIBITTNOTIFY64 to this library and
// INTEL_ITTNOTIFY_GROUPS=sync,stitch (the groups whose functions libtbb then
// looks up here by name). Only the tsan preset builds it.

#include <dlfcn.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>

extern "C" {
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
}

namespace {

char taskHandOff;  // the shared sync object described above

// The next definition of `name` after this library's: the real one.
template <typename Function>
Function realFunction(const char* name) {
  void* found = dlsym(RTLD_NEXT, name);
  if (found == nullptr) {
    std::fprintf(stderr, "tsan_tbb_bridge: %s not found after this library\n", name);
    std::abort();
  }
  return reinterpret_cast<Function>(found);
}

}  // namespace

// ITT's loader asks for this symbol to learn that the collector takes its
// functions by name (collector API version 1).
extern "C" __attribute__((visibility("default"))) void __itt_api_version() {}

extern "C" __attribute__((visibility("default"))) void __itt_sync_releasing(void* addr) {
  __tsan_release(addr);
  __tsan_release(&taskHandOff);
}

extern "C" __attribute__((visibility("default"))) void __itt_sync_acquired(void* addr) {
  __tsan_acquire(addr);
}

// The rest of the sync and stitch groups, so that libtbb finds every function
// it looks up; they carry no ordering.
extern "C" __attribute__((visibility("default"))) void __itt_sync_prepare(void*) {}
extern "C" __attribute__((visibility("default"))) void __itt_sync_cancel(void*) {}
extern "C" __attribute__((visibility("default"))) void __itt_sync_create(void*, const char*,
                                                                         const char*, int) {}
extern "C" __attribute__((visibility("default"))) void __itt_sync_rename(void*, const char*) {}
extern "C" __attribute__((visibility("default"))) void __itt_sync_destroy(void*) {}

extern "C" __attribute__((visibility("default"))) void* __itt_stack_caller_create() {
  return &taskHandOff;
}
extern "C" __attribute__((visibility("default"))) void __itt_stack_caller_destroy(void*) {}
extern "C" __attribute__((visibility("default"))) void __itt_stack_callee_enter(void*) {
  __tsan_acquire(&taskHandOff);
}
extern "C" __attribute__((visibility("default"))) void __itt_stack_callee_leave(void*) {}

namespace std {
// libtbb's rethrow of a task's exception in the waiting thread (see above).
__attribute__((visibility("default"))) void rethrow_exception(exception_ptr error) {
  __tsan_acquire(&taskHandOff);
  using Rethrow = void (*)(exception_ptr);
  static const auto real =
      realFunction<Rethrow>("_ZSt17rethrow_exceptionNSt15__exception_ptr13exception_ptrE");
  real(std::move(error));
  std::abort();  // not reached: real() throws
}
}  // namespace std

// The small object pool (see above); declarations as in oneTBB's
// detail/_small_object_pool.h.
namespace tbb::detail {
namespace d1 {
class small_object_pool;
struct execution_data;
}  // namespace d1
namespace r1 {

__attribute__((visibility("default"))) void* allocate(d1::small_object_pool*& pool,
                                                      std::size_t bytes) {
  using Allocate = void* (*)(d1::small_object_pool*&, std::size_t);
  static const auto real =
      realFunction<Allocate>("_ZN3tbb6detail2r18allocateERPNS0_2d117small_object_poolEm");
  void* block = real(pool, bytes);
  __tsan_acquire(block);
  return block;
}

__attribute__((visibility("default"))) void* allocate(d1::small_object_pool*& pool,
                                                      std::size_t bytes,
                                                      const d1::execution_data& ed) {
  using Allocate = void* (*)(d1::small_object_pool*&, std::size_t, const d1::execution_data&);
  static const auto real = realFunction<Allocate>(
      "_ZN3tbb6detail2r18allocateERPNS0_2d117small_object_poolEmRKNS2_14execution_dataE");
  void* block = real(pool, bytes, ed);
  __tsan_acquire(block);
  return block;
}

__attribute__((visibility("default"))) void deallocate(d1::small_object_pool& pool, void* block,
                                                       std::size_t bytes) {
  using Deallocate = void (*)(d1::small_object_pool&, void*, std::size_t);
  static const auto real =
      realFunction<Deallocate>("_ZN3tbb6detail2r110deallocateERNS0_2d117small_object_poolEPvm");
  __tsan_release(block);
  real(pool, block, bytes);
}

__attribute__((visibility("default"))) void deallocate(d1::small_object_pool& pool, void* block,
                                                       std::size_t bytes,
                                                       const d1::execution_data& ed) {
  using Deallocate =
      void (*)(d1::small_object_pool&, void*, std::size_t, const d1::execution_data&);
  static const auto real = realFunction<Deallocate>(
      "_ZN3tbb6detail2r110deallocateERNS0_2d117small_object_poolEPvmRKNS2_14execution_dataE");
  __tsan_release(block);
  real(pool, block, bytes, ed);
}

}  // namespace r1
}  // namespace tbb::detail
