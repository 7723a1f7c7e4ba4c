using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Portal.Bench.Ui;

/// <summary>
/// Forces a full blocking GC in another .NET process without an endpoint in it, as dotnet-gcdump does: an EventPipe
/// session over the runtime's diagnostics IPC socket that enables the runtime provider's GCHeapCollect keyword (the
/// runtime answers that keyword by inducing a gen-2 GC). No NuGet package: the few IPC messages are written by hand
/// (dotnet/diagnostics, documentation/design-docs/ipc-protocol.md).
/// </summary>
internal static class InducedGc
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GcHeapCollectKeyword = 0x800000;
    private const uint InformationalLevel = 4;
    private const byte EventPipeCommandSet = 0x02;
    private const byte StopTracing = 0x01;
    private const byte CollectTracing = 0x02;
    private const uint NetTraceFormat = 1;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("DOTNET_IPC_V1\0");

    /// <summary>
    /// Induces a GC in the bench's own process and reports whether the gen-2 collection count rose: evidence that the
    /// runtime in use honours the keyword, since the count of another process cannot be read from outside.
    /// </summary>
    public static async Task<bool> SelfCheckAsync()
    {
        var before = GC.CollectionCount(2);
        return await CollectAsync(Environment.ProcessId, TimeSpan.FromSeconds(1)).ConfigureAwait(false) && GC.CollectionCount(2) > before;
    }

    /// <summary>Induces the GC and waits <paramref name="after"/> for it to finish; false when the socket was not found.</summary>
    public static async Task<bool> CollectAsync(int processId, TimeSpan after)
    {
        var socketPath = Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{processId.ToString(CultureInfo.InvariantCulture)}-*-socket").FirstOrDefault();
        if (socketPath is null)
        {
            return false;
        }

        using var session = await ConnectAsync(socketPath).ConfigureAwait(false);
        var payload = new List<byte>();
        AppendUInt32(payload, 1);
        AppendUInt32(payload, NetTraceFormat);
        AppendUInt32(payload, 1);
        AppendUInt64(payload, GcHeapCollectKeyword);
        AppendUInt32(payload, InformationalLevel);
        AppendString(payload, RuntimeProvider);
        AppendString(payload, null);
        await SendAsync(session, CollectTracing, payload).ConfigureAwait(false);
        var sessionId = await ReadOkAsync(session).ConfigureAwait(false);

        // The runtime now streams the trace on this connection; it is drained (and dropped) until the session stops.
        var drain = DrainAsync(session);
        await Task.Delay(after).ConfigureAwait(false);

        using (var stop = await ConnectAsync(socketPath).ConfigureAwait(false))
        {
            var stopPayload = new List<byte>();
            AppendUInt64(stopPayload, sessionId);
            await SendAsync(stop, StopTracing, stopPayload).ConfigureAwait(false);
            await ReadOkAsync(stop).ConfigureAwait(false);
        }

        await drain.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return true;
    }

    private static async Task<Socket> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path)).ConfigureAwait(false);
        return socket;
    }

    private static async Task SendAsync(Socket socket, byte commandId, List<byte> payload)
    {
        // Header: magic (14 bytes), total size (uint16), command set, command id, reserved (uint16).
        var message = new List<byte>(Magic);
        AppendUInt16(message, (ushort)(20 + payload.Count));
        message.Add(EventPipeCommandSet);
        message.Add(commandId);
        AppendUInt16(message, 0);
        message.AddRange(payload);
        await socket.SendAsync(message.ToArray(), SocketFlags.None).ConfigureAwait(false);
    }

    /// <summary>Reads a response header and its 8-byte payload (the session id); throws on an error response.</summary>
    private static async Task<ulong> ReadOkAsync(Socket socket)
    {
        var header = new byte[20];
        await ReceiveExactlyAsync(socket, header).ConfigureAwait(false);
        var size = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(14));
        var body = new byte[size - 20];
        await ReceiveExactlyAsync(socket, body).ConfigureAwait(false);
        if (header[16] != 0xFF || header[17] != 0x00 || body.Length < 8)
        {
            var code = body.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(body) : 0;
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The diagnostics IPC answered an error (0x{code:X8})."));
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(body);
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).ConfigureAwait(false);
            read += n > 0 ? n : throw new InvalidOperationException("The diagnostics IPC closed the connection.");
        }
    }

    private static async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
        {
            // Dropped: only the GC the session induced matters.
        }
    }

    private static void AppendUInt16(List<byte> to, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        to.AddRange(b);
    }

    private static void AppendUInt32(List<byte> to, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        to.AddRange(b);
    }

    private static void AppendUInt64(List<byte> to, long value) => AppendUInt64(to, unchecked((ulong)value));

    private static void AppendUInt64(List<byte> to, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        to.AddRange(b);
    }

    /// <summary>An IPC string: its length in UTF-16 code units including the terminating NUL, then the units; 0 for none.</summary>
    private static void AppendString(List<byte> to, string? value)
    {
        if (value is null)
        {
            AppendUInt32(to, 0);
            return;
        }

        AppendUInt32(to, (uint)(value.Length + 1));
        to.AddRange(Encoding.Unicode.GetBytes(value + "\0"));
    }
}
