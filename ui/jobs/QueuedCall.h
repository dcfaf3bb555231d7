#pragma once
// queueCall(receiver, call): runs `call` later on the receiver's thread (for
// the models, the GUI thread), from any thread. Qt drops the call if the
// receiver is destroyed first.
//
// Qt builds the posted event, holding a copy of `call`, on the calling thread
// and hands it over inside Debian's Qt, which is not built with
// ThreadSanitizer; whichever thread then drops Qt's last reference to the
// call destroys it: usually the receiver's, after the call, but the caller's
// when the receiver has run it and let go before the caller's invokeMethod
// returned (that reference count is Qt's too). Unless the receiving thread
// happened to be asleep and was woken through the event dispatcher's eventfd
// (a write and a read TSan follows), TSan sees no order between the threads
// and reports a race: the event's deletion against its allocation (it did,
// now and then, for JobRunner's deliverNext), or the caller freeing what the
// call had read (for StudySession's slices). Under TSan, queueCall therefore
//   1. releases a token of its own before posting, acquires it when the call
//      starts, releases it again when the call returns, and acquires it when
//      the call is destroyed, on whichever thread: the order Qt really gives,
//      so what the caller wrote before queueCall comes before what `call`
//      reads, and what `call` did comes before its destruction and what that
//      frees;
//   2. has TSan ignore the caller's own memory accesses while Qt builds and
//      posts the event (its allocation included), which only Qt hands over.
// Without TSan it is QMetaObject::invokeMethod(receiver, call,
// Qt::QueuedConnection).

#include <QMetaObject>
#include <QObject>
#include <memory>
#include <type_traits>
#include <utility>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HARMONIA_QUEUED_CALL_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define HARMONIA_QUEUED_CALL_TSAN 1
#endif

#ifdef HARMONIA_QUEUED_CALL_TSAN
extern "C" {
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
void __tsan_ignore_thread_begin();
void __tsan_ignore_thread_end();
}
#endif

namespace harmonia {

#ifdef HARMONIA_QUEUED_CALL_TSAN
namespace detail {

// `call` with the token queueCall released: acquired before the call runs and
// released after it, and acquired again when the wrapper is destroyed (in the
// destructor's body, so before what `call` holds is freed), on whichever
// thread that is and whether or not the call ran.
template <typename Call>
struct TsanOrderedCall {
  std::shared_ptr<char> token;
  Call call;

  TsanOrderedCall(std::shared_ptr<char> t, Call c) : token(std::move(t)), call(std::move(c)) {}
  TsanOrderedCall(TsanOrderedCall&&) = default;
  TsanOrderedCall(const TsanOrderedCall&) = default;
  TsanOrderedCall& operator=(const TsanOrderedCall&) = delete;
  TsanOrderedCall& operator=(TsanOrderedCall&&) = delete;
  ~TsanOrderedCall() {
    if (token) __tsan_acquire(token.get());
  }
  void operator()() {
    __tsan_acquire(token.get());
    call();
    __tsan_release(token.get());
  }
};

}  // namespace detail
#endif

template <typename F>
void queueCall(QObject* receiver, F&& call) {
#ifdef HARMONIA_QUEUED_CALL_TSAN
  auto token = std::make_shared<char>(0);
  __tsan_release(token.get());
  __tsan_ignore_thread_begin();
  QMetaObject::invokeMethod(
      receiver, detail::TsanOrderedCall<std::decay_t<F>>(std::move(token), std::forward<F>(call)),
      Qt::QueuedConnection);
  __tsan_ignore_thread_end();
#else
  QMetaObject::invokeMethod(receiver, std::forward<F>(call), Qt::QueuedConnection);
#endif
}

}  // namespace harmonia
