// Internal to tapir_net: an open WebSocket as both sides use it, over any
// next layer (TCP socket, Unix socket, TLS stream). It reads text messages
// until the end, keeps one write in flight with the rest queued, and closes
// after the queue drains. The handshake belongs to the owner.
//
// The end is always found by the read loop: a read is pending from start()
// until the end (except while a message is being delivered), so a failed
// write, abort() or a closing handshake surfaces there and the sink hears
// onChannelEnd exactly once.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "tapir/status.h"

namespace tapir::net::detail {

class ChannelSink {
 public:
  virtual ~ChannelSink() = default;
  virtual void onChannelText(std::string text) = 0;
  // Once. byUs: the owner's close() came before the end.
  virtual void onChannelEnd(bool byUs, Status why) = 0;
};

// A TLS next layer needs its own handshake.
template <class NextLayer>
inline constexpr bool kIsTls = false;
template <class Next>
inline constexpr bool kIsTls<boost::asio::ssl::stream<Next>> = true;

// Closes the socket under any layering, ignoring errors (it may be closed).
template <class Stream>
void closeLowest(Stream& s) {
  boost::system::error_code ec;
  auto& socket = boost::beast::get_lowest_layer(s);
  socket.shutdown(socket.shutdown_both, ec);
  socket.close(ec);
}

// A close frame's reason is at most 123 bytes of UTF-8; cut at a character.
inline std::string closeReasonText(std::string reason) {
  constexpr std::size_t kMax = 123;
  if (reason.size() <= kMax) return reason;
  std::size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
  reason.resize(n);
  return reason;
}

template <class NextLayer>
class Channel {
 public:
  using Ws = boost::beast::websocket::stream<NextLayer>;

  // peerName ("client", "server") words the reasons for the end.
  template <class... Args>
  Channel(ChannelSink& sink, std::string_view peerName, Args&&... args)
      : sink_(sink), peerName_(peerName), ws_(std::forward<Args>(args)...),
        timer_(ws_.get_executor()) {}

  Ws& ws() { return ws_; }

  struct Limits {
    std::size_t maxQueuedBytes;
    // Bounds close(): draining the queue and the closing handshake.
    std::chrono::milliseconds closeTimeout;
    // A peer silent for half of it is pinged, for all of it cut off.
    std::chrono::milliseconds idleTimeout;
  };

  // After the handshake. owner holds this Channel; pending I/O keeps it alive.
  void start(std::weak_ptr<void> owner, Limits limits) {
    owner_ = std::move(owner);
    maxQueued_ = limits.maxQueuedBytes;
    closeTimeout_ = limits.closeTimeout;
    idleTimeout_ = limits.idleTimeout;
    started_ = true;
    // The idle timer also bounds Beast failing a connection (a frame too big,
    // a protocol error): it sends a close frame and waits for the peer to
    // hang up with no timer of its own.
    ws_.set_option(boost::beast::websocket::stream_base::timeout{limits.closeTimeout,
                                                                 limits.idleTimeout, true});
    ws_.text(true);
    read();
  }

  void send(std::string text) {
    if (!started_ || closing_ || ended_ || abortWhy_) return;
    queued_ += text.size();
    out_.push_back(std::move(text));
    if (queued_ > maxQueued_) {
      abort(Status(Code::kResourceExhausted, "send queue over " + std::to_string(maxQueued_) +
                                                 " bytes (the " + peerName_ + " is not reading)"));
      return;
    }
    if (!writing_) write();
  }

  void close(boost::beast::websocket::close_code code, std::string reason) {
    if (!started_ || closing_ || ended_ || abortWhy_) return;
    closing_ = true;
    closeCode_ = code;
    closeReason_ = closeReasonText(std::move(reason));
    timer_.expires_after(closeTimeout_);
    timer_.async_wait([this, keep = owner_.lock()](const boost::system::error_code& ec) {
      if (!ec && !ended_) abort(Status(Code::kDeadlineExceeded, "closing handshake timed out"));
    });
    if (!writing_) beginClose();
  }

  // Cuts the connection off now; the end follows with why.
  void abort(Status why) {
    if (ended_) return;
    if (!abortWhy_) abortWhy_ = std::move(why);
    closeLowest(ws_);
  }

  std::size_t queuedBytes() const { return queued_; }

 private:
  void read() {
    ws_.async_read(in_, [this, keep = owner_.lock()](const boost::system::error_code& ec,
                                                      std::size_t) {
      if (ended_) return;
      if (ec) return end(whyEnded(ec));
      if (abortWhy_) return end(*abortWhy_);
      if (!ws_.got_text()) {
        // The protocol is JSON text; binary is the peer's mistake.
        in_.consume(in_.size());
        if (!closing_) {
          failWhy_ = Status(Code::kInvalidArgument, "the " + peerName_ + " sent a binary message");
          close(boost::beast::websocket::close_code::unknown_data, "text messages only");
        }
        return read();
      }
      std::string text = boost::beast::buffers_to_string(in_.data());
      in_.consume(in_.size());
      sink_.onChannelText(std::move(text));
      if (!ended_) read();
    });
  }

  void write() {
    writing_ = true;
    ws_.async_write(boost::asio::buffer(out_.front()),
                    [this, keep = owner_.lock()](const boost::system::error_code& ec, std::size_t) {
                      writing_ = false;
                      if (ended_) return;
                      if (ec) {
                        abort(Status(Code::kUnavailable, "write failed: " + ec.message()));
                        return;
                      }
                      queued_ -= out_.front().size();
                      out_.pop_front();
                      if (!out_.empty()) {
                        write();
                      } else if (closing_) {
                        beginClose();
                      }
                    });
  }

  void beginClose() {
    ws_.async_close({closeCode_, closeReason_},
                    [this, keep = owner_.lock()](const boost::system::error_code& ec) {
                      // On success Beast has torn the socket down and the pending
                      // read completes; on failure make sure it does.
                      if (ec && !ended_) {
                        abort(Status(Code::kUnavailable, "close failed: " + ec.message()));
                      }
                    });
  }

  Status whyEnded(const boost::system::error_code& ec) {
    namespace websocket = boost::beast::websocket;
    if (abortWhy_) return *abortWhy_;
    if (failWhy_) return *failWhy_;
    if (closing_) {
      return Status(Code::kCancelled, "closed (" + std::to_string(unsigned(closeCode_)) +
                                          ")" + (closeReason_.empty() ? "" : ": " + closeReason_));
    }
    // A close frame from the peer, even if its hang-up was timed out.
    if (ec == websocket::error::closed || ws_.reason().code != websocket::close_code::none) {
      const auto& cr = ws_.reason();
      std::string text = "closed by the " + peerName_ + " (" + std::to_string(unsigned(cr.code)) +
                         ")" + (cr.reason.empty() ? "" : ": " + std::string(cr.reason.data(), cr.reason.size()));
      return Status(Code::kUnavailable, std::move(text));
    }
    if (ec == websocket::error::message_too_big) {
      return Status(Code::kResourceExhausted,
                    "message over " + std::to_string(ws_.read_message_max()) + " bytes (1009)");
    }
    if (ec == boost::beast::error::timeout) {
      return Status(Code::kDeadlineExceeded, "no answer from the " + peerName_ + " for " +
                                                 std::to_string(idleTimeout_.count()) + " ms");
    }
    if (ec == boost::asio::error::bad_descriptor) {
      // Beast failed the connection (close frame sent), the peer never hung
      // up, and the idle timer closed the socket; Beast's reason is lost.
      return Status(Code::kInvalidArgument,
                    "bad frame from the " + peerName_ + " (invalid, or over " +
                        std::to_string(ws_.read_message_max()) + " bytes)");
    }
    if (ec.category() == websocket::make_error_code(websocket::error::closed).category()) {
      return Status(Code::kInvalidArgument, "bad frame from the " + peerName_ + ": " + ec.message());
    }
    if (ec == boost::asio::error::eof) {
      return Status(Code::kUnavailable, "the " + peerName_ + " went away without a close frame");
    }
    return Status(Code::kUnavailable, "connection lost: " + ec.message());
  }

  void end(Status why) {
    ended_ = true;
    timer_.cancel();
    closeLowest(ws_);
    out_.clear();
    queued_ = 0;
    sink_.onChannelEnd(closing_ && !failWhy_, std::move(why));
  }

  ChannelSink& sink_;
  std::string peerName_;
  Ws ws_;
  boost::asio::steady_timer timer_;  // bounds close()
  std::weak_ptr<void> owner_;
  std::size_t maxQueued_ = 0;
  std::chrono::milliseconds closeTimeout_{0};
  std::chrono::milliseconds idleTimeout_{0};

  boost::beast::flat_buffer in_;
  std::deque<std::string> out_;  // front() is being written while writing_
  std::size_t queued_ = 0;
  bool started_ = false, writing_ = false, closing_ = false, ended_ = false;
  boost::beast::websocket::close_code closeCode_ = boost::beast::websocket::close_code::normal;
  std::string closeReason_;
  std::optional<Status> abortWhy_;  // abort(): the socket is already closed
  std::optional<Status> failWhy_;   // we closed because the peer misbehaved
};

}  // namespace tapir::net::detail
