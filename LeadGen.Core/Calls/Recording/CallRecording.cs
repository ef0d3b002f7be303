using Concentus;
using LeadGen.Core.Audio;
using Concentus.Enums;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Recording;

/// <summary>
/// One call's recording as it happens: caller on the left channel, agent on the right, aligned on the caller's clock.
/// The caller's audio arrives in real time and drives the timeline; agent audio arrives in bursts ahead of playback,
/// so it waits in a play-out queue and is laid down at the pace the caller's audio advances, as the person hears it.
/// A reply that starts while the caller's audio is running late (the host fell behind reading it) starts that much
/// later on the timeline, where the person heard it begin. A barge-in (<see cref="ClearAgent"/>) drops what was queued
/// and not yet played: the agent's channel stops where it was cut. Every 20 ms of timeline is encoded to Opus and
/// framed as Ogg into the output stream.
/// Thread-safe: the caller side and the engine side call it concurrently.
/// </summary>
public sealed class CallRecording : IDisposable
{
    private const int SamplesAt48kPerFrame = 960; // 20 ms

    /// <summary>Network and frame jitter of the caller's audio; only a larger lag moves the agent's reply later.</summary>
    private const int LateToleranceMs = 100;
    private const int MaxPacketBytes = 1275;

    private readonly Lock _gate = new();
    private readonly IOpusEncoder _encoder;
    private readonly OggOpusWriter _ogg;
    private readonly RateConverter _callerRate;
    private readonly RateConverter _agentRate;
    private readonly SampleQueue _caller = new();
    private readonly SampleQueue _agent = new();
    private readonly int _frameSamples;
    private readonly short[] _stereo;
    private readonly short[] _callerFrame;
    private readonly short[] _agentFrame;
    private readonly byte[] _packet = new byte[MaxPacketBytes];
    private readonly TimeProvider _time;
    private long _frames;
    private long _callerSamples;
    private long? _firstCallerAudioAt;
    private bool _finished;

    public CallRecording(Stream output, EngineAudioFormat engineAudio, RecordingOptions options, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        if (options.SampleRate is not (8_000 or 16_000))
        {
            throw new ArgumentException($"Recordings:SampleRate must be 8000 or 16000 (was {options.SampleRate}).", nameof(options));
        }

        SampleRate = options.SampleRate;
        _frameSamples = SampleRate / 50;
        _stereo = new short[_frameSamples * 2];
        _callerFrame = new short[_frameSamples];
        _agentFrame = new short[_frameSamples];
        _encoder = OpusCodecFactory.CreateEncoder(SampleRate, 2, OpusApplication.OPUS_APPLICATION_VOIP);
        _encoder.Bitrate = options.BitsPerSecond;
        _encoder.Complexity = options.EncoderComplexity;
        _encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
        var preSkip = _encoder.Lookahead * (48_000 / SampleRate);
        _ogg = new OggOpusWriter(output, channels: 2, SampleRate, preSkip, serial: Random.Shared.Next());
        _callerRate = new RateConverter(engineAudio.InputSampleRate, SampleRate);
        _agentRate = new RateConverter(engineAudio.OutputSampleRate, SampleRate);
    }

    /// <summary>The recording's rate (<see cref="RecordingOptions.SampleRate"/>).</summary>
    public int SampleRate { get; }

    /// <summary>Timeline recorded so far (what the caller's audio has covered).</summary>
    public TimeSpan Duration
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromMilliseconds(_frames * 20);
            }
        }
    }

    /// <summary>Caller audio (PCM16 at the engine's input rate), in the order it arrived.</summary>
    public void Caller(ReadOnlySpan<byte> pcm)
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _firstCallerAudioAt ??= _time.GetTimestamp();
            var before = _caller.Count;
            _callerRate.Convert(pcm, _caller);
            _callerSamples += _caller.Count - before;
            while (_caller.Count >= _frameSamples)
            {
                EncodeFrame();
            }
        }
    }

    /// <summary>Agent audio (PCM16 at the engine's output rate) as it is sent to the person: queued to play next.</summary>
    public void Agent(ReadOnlySpan<byte> pcm)
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            if (_agent.Count == 0 && _firstCallerAudioAt is { } origin)
            {
                // A new stretch of agent speech starts now: if the caller's audio is behind the clock, start it that much later.
                var now = (long)(_time.GetElapsedTime(origin).TotalSeconds * SampleRate);
                var late = now - _callerSamples;
                if (late > SampleRate * LateToleranceMs / 1000)
                {
                    _agent.AddSilence((int)Math.Min(late, SampleRate * 10L));
                }
            }

            _agentRate.Convert(pcm, _agent);
        }
    }

    /// <summary>Barge-in: agent audio not yet played is dropped.</summary>
    public void ClearAgent()
    {
        lock (_gate)
        {
            _agent.Clear();
            _agentRate.Reset();
        }
    }

    /// <summary>
    /// Ends the stream: the caller's last partial frame is padded; agent audio still queued was never played (the call
    /// ended first) and is dropped. Returns the recorded duration.
    /// </summary>
    public TimeSpan Finish()
    {
        lock (_gate)
        {
            if (!_finished)
            {
                if (_caller.Count > 0)
                {
                    _caller.PadTo(_frameSamples);
                    EncodeFrame();
                }

                _ogg.Finish();
                _finished = true;
            }

            return TimeSpan.FromMilliseconds(_frames * 20);
        }
    }

    public void Dispose() => (_encoder as IDisposable)?.Dispose();

    private void EncodeFrame()
    {
        _caller.Take(_callerFrame);
        var agentSamples = _agent.TakeUpTo(_agentFrame);
        Array.Clear(_agentFrame, agentSamples, _frameSamples - agentSamples); // silence when the agent is not speaking
        for (var i = 0; i < _frameSamples; i++)
        {
            _stereo[2 * i] = _callerFrame[i];
            _stereo[(2 * i) + 1] = _agentFrame[i];
        }

        var length = _encoder.Encode(_stereo, _frameSamples, _packet, _packet.Length);
        _ogg.WritePacket(_packet.AsSpan(0, length), SamplesAt48kPerFrame);
        _frames++;
    }

    /// <summary>
    /// PCM16 little-endian bytes at one rate to samples at the recording's rate. A whole-number ratio (16 or 24 kHz to
    /// 8 kHz, the default recording) goes through our FIR <see cref="Decimator"/>; anything else through Concentus's
    /// Speex resampler, which cost several times as much per call-second (README, recordings).
    /// </summary>
    private sealed class RateConverter
    {
        private readonly int _from;
        private readonly int _to;
        private readonly Decimator? _decimator;
        private readonly IResampler? _resampler;
        private short[] _in = new short[960];
        private short[] _out = new short[960];

        public RateConverter(int from, int to)
        {
            (_from, _to) = (from, to);
            if (from != to && from % to == 0 && to == 8_000)
            {
                // Pass band to 3.3 kHz, ≥ 4 kHz down 60 dB: nothing aliases into the telephone band.
                _decimator = new Decimator(from / to, from, 3300, 4000, 60);
            }
            else if (from != to)
            {
                _resampler = ResamplerFactory.CreateResampler(1, from, to, 5);
            }
        }

        public void Convert(ReadOnlySpan<byte> pcm, SampleQueue into)
        {
            var count = pcm.Length / 2;
            if (_in.Length < count)
            {
                _in = new short[count];
                _out = new short[(int)((long)count * _to / _from) + 64];
            }

            Pcm16.Read(pcm[..(2 * count)], _in);

            if (_decimator is not null)
            {
                into.Add(_out.AsSpan(0, _decimator.Process(_in.AsSpan(0, count), _out)));
                return;
            }

            if (_resampler is null)
            {
                into.Add(_in.AsSpan(0, count));
                return;
            }

            var needed = (int)((long)count * _to / _from) + 64;
            if (_out.Length < needed)
            {
                _out = new short[needed];
            }

            var inLength = count;
            var outLength = _out.Length;
            _resampler.Process(0, _in.AsSpan(0, count), ref inLength, _out, ref outLength);
            into.Add(_out.AsSpan(0, outLength));
        }

        public void Reset()
        {
            _resampler?.ResetMem();
            _decimator?.Reset();
        }
    }
}

/// <summary>A growable FIFO of samples (no allocation once it has grown to a turn's length).</summary>
internal sealed class SampleQueue
{
    private short[] _buffer = new short[4096];
    private int _start;
    private int _count;

    public int Count => _count;

    public void Add(ReadOnlySpan<short> samples)
    {
        if (_start + _count + samples.Length > _buffer.Length)
        {
            if (_count + samples.Length > _buffer.Length)
            {
                var bigger = new short[Math.Max(_buffer.Length * 2, _count + samples.Length)];
                _buffer.AsSpan(_start, _count).CopyTo(bigger);
                _buffer = bigger;
            }
            else
            {
                _buffer.AsSpan(_start, _count).CopyTo(_buffer);
            }

            _start = 0;
        }

        samples.CopyTo(_buffer.AsSpan(_start + _count));
        _count += samples.Length;
    }

    public void Take(Span<short> into)
    {
        _buffer.AsSpan(_start, into.Length).CopyTo(into);
        Skip(into.Length);
    }

    public int TakeUpTo(Span<short> into)
    {
        var n = Math.Min(into.Length, _count);
        _buffer.AsSpan(_start, n).CopyTo(into);
        Skip(n);
        return n;
    }

    public void AddSilence(int count)
    {
        if (count > 0)
        {
            Add(new short[count]);
        }
    }

    public void PadTo(int count)
    {
        if (_count < count)
        {
            Add(new short[count - _count]);
        }
    }

    public void Clear()
    {
        _start = 0;
        _count = 0;
    }

    private void Skip(int n)
    {
        _start += n;
        _count -= n;
        if (_count == 0)
        {
            _start = 0;
        }
    }
}
