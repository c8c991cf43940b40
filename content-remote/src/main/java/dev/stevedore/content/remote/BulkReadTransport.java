package dev.stevedore.content.remote;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.TcpConfig;
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * The Vert.x transport of the client's own {@code Vertx}: Vert.x's, except that a connection may
 * read up to {@link #MAX_READ} bytes from its socket at once instead of Netty's 64 KiB.
 *
 * <p>Why: a blob arrives as the socket's reads, each cut into response pieces of at most {@link
 * RegistryClient#BODY_CHUNK_SIZE}, each copied and queued by Vert.x and handed to the reading
 * thread. With 64 KiB reads a GiB is 16,384 pieces, and the event loop spent most of a pull
 * cutting, copying and queueing them (benchmarks/DEFAULTS.md). Reads and pieces of 256 KiB make a
 * quarter as many.
 *
 * <p>Only the read buffer's size changes: Netty's adaptive allocator still starts small and grows
 * only while reads fill it, so small responses keep small buffers. The socket's receive buffer
 * ({@code SO_RCVBUF}) is left to the kernel's auto-tuning: setting it (what Vert.x does with {@code
 * HttpClientOptions.setReceiveBufferSize}, which also fixes the read size) caps the TCP window, to
 * {@code net.core.rmem_max} (208 KiB on many systems), which would throttle every pull over a
 * long-distance link. A caller who sets a receive buffer size gets Vert.x's behaviour unchanged.
 */
final class BulkReadTransport implements io.vertx.core.transport.Transport {
  /** The largest single read from a connection's socket. */
  static final int MAX_READ = 256 * 1024;

  /** Netty's defaults for the smallest and the first read. */
  private static final int MIN_READ = 64;

  private static final int FIRST_READ = 2048;

  private final io.vertx.core.transport.Transport delegate;
  private final Transport implementation;

  BulkReadTransport(io.vertx.core.transport.Transport delegate) {
    this.delegate = delegate;
    this.implementation = new Implementation(delegate.implementation());
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public boolean available() {
    return delegate.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return delegate.unavailabilityCause();
  }

  @Override
  public Transport implementation() {
    return implementation;
  }

  /** Vert.x's transport, with larger reads for client connections. */
  private static final class Implementation implements Transport {
    private final Transport delegate;

    Implementation(Transport delegate) {
      this.delegate = delegate;
    }

    @Override
    public void configure(TcpConfig config, boolean domainSocket, Bootstrap bootstrap) {
      delegate.configure(config, domainSocket, bootstrap);
      if (config.getReceiveBufferSize() == -1) {
        bootstrap.option(
            ChannelOption.RCVBUF_ALLOCATOR,
            new AdaptiveRecvByteBufAllocator(MIN_READ, FIRST_READ, MAX_READ));
      }
    }

    @Override
    public void configure(TcpConfig config, boolean domainSocket, ServerBootstrap bootstrap) {
      delegate.configure(config, domainSocket, bootstrap);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      delegate.configure(channel, options);
    }

    @Override
    public boolean supportsDomainSockets() {
      return delegate.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return delegate.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return delegate.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(java.net.SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return delegate.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(
        int type, int threads, ThreadFactory threadFactory, int ioRatio) {
      return delegate.eventLoopGroup(type, threads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return delegate.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
      return delegate.datagramChannelFactory();
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return delegate.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return delegate.serverChannelFactory(domainSocket);
    }
  }
}
