using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace LeadGen.Calls.Tests.Live;

/// <summary>Two ends of a real WebSocket over a loopback TCP connection: no HTTP host, milliseconds to set up.</summary>
internal sealed class WebSocketPair : IDisposable
{
    private readonly TcpClient _serverTcp;
    private readonly TcpClient _clientTcp;

    private WebSocketPair(TcpClient serverTcp, TcpClient clientTcp)
    {
        _serverTcp = serverTcp;
        _clientTcp = clientTcp;
        Server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        Client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    public static async Task<WebSocketPair> CreateAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var client = new TcpClient();
            var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var server = await listener.AcceptTcpClientAsync();
            await connecting;
            return new WebSocketPair(server, client);
        }
        finally
        {
            listener.Stop();
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        _serverTcp.Dispose();
        _clientTcp.Dispose();
    }
}
