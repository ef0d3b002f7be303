// The voice test call on "Try the agent": microphone → WebSocket (binary PCM16 at the model's input rate) → the
// server's call pipeline; the agent's PCM16 (at the model's output rate) is played with Web Audio and what has been
// played is reported back ({"type":"played"}), the browser's equivalent of Twilio's marks, so the transcript holds only
// what was heard. Protocol: LeadGen.Core/Calls/Browser/BrowserCallTransport.cs. One call per page at a time.

let call = null;

/** Starts a call as lead `leadId`; `view` is the Blazor component's DotNetObjectReference. */
export async function start(leadId, view) {
  if (call) {
    await hangUp();
  }

  let microphone;
  try {
    microphone = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
  } catch (error) {
    await view.invokeMethodAsync('OnCallEnded', 'The microphone is not available (' + error.name + '): allow this page to use it and try again.');
    return;
  }

  const url = new URL('calls/browser?leadId=' + encodeURIComponent(leadId), document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  call = new VoiceCall(socket, microphone, view);
}

/** Ends the call from this side. */
export async function hangUp() {
  if (call) {
    call.send({ type: 'hangup' });
    await call.end(null);
  }
}

class VoiceCall {
  constructor(socket, microphone, view) {
    this.socket = socket;
    this.microphone = microphone;
    this.view = view;
    this.ended = false;
    this.turn = null; // { number, sources: [], playedMs, scheduledMs, endRequested, totalMs }
    this.playedSamples = 0;
    this.peakLevel = 0;
    this.inbox = Promise.resolve(); // messages are handled one after another (audio must not overtake "format")
    socket.onmessage = event => { this.inbox = this.inbox.then(() => this.onMessage(event)).catch(() => {}); };
    socket.onclose = event => this.end(event.code === 1000 ? null : 'The call ended: ' + (event.reason || 'connection closed (' + event.code + ')') + '.');
    socket.onerror = () => this.end('The call could not be connected. Check that a voice model is configured and the lead can be called.');
  }

  send(message) {
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  async onMessage(event) {
    if (event.data instanceof ArrayBuffer) {
      this.play(new Int16Array(event.data));
      return;
    }
    const message = JSON.parse(event.data);
    switch (message.type) {
      case 'call':
        await this.view.invokeMethodAsync('OnCallStarted', message.callId);
        break;
      case 'format':
        await this.open(message.inputSampleRate, message.outputSampleRate);
        break;
      case 'turn':
        this.startTurn(message.turn);
        break;
      case 'turnEnd':
        if (this.turn && this.turn.number === message.turn) {
          this.turn.endRequested = true;
          this.reportIfDone();
        }
        break;
      case 'clear':
        this.clear();
        break;
      case 'hangup':
        await this.end(null);
        break;
    }
  }

  async open(inputRate, outputRate) {
    this.capture = new AudioContext({ sampleRate: inputRate });
    await this.capture.audioWorklet.addModule(new URL('js/voice-capture-worklet.js', document.baseURI));
    const source = this.capture.createMediaStreamSource(this.microphone);
    this.worklet = new AudioWorkletNode(this.capture, 'voice-capture');
    this.worklet.port.onmessage = event => {
      if (this.socket.readyState === WebSocket.OPEN) {
        this.socket.send(event.data);
      }
    };
    source.connect(this.worklet);

    this.playback = new AudioContext({ sampleRate: outputRate });
    this.analyser = this.playback.createAnalyser();
    this.analyser.fftSize = 1024;
    this.analyser.connect(this.playback.destination);
    this.nextStart = 0;
    await Promise.all([this.capture.resume(), this.playback.resume()]);
    const levels = new Float32Array(this.analyser.fftSize);
    this.stats = setInterval(() => {
      this.analyser.getFloatTimeDomainData(levels);
      let sum = 0;
      for (const v of levels) sum += v * v;
      this.peakLevel = Math.max(this.peakLevel, Math.sqrt(sum / levels.length));
      this.reportStats();
    }, 250);
  }

  reportStats() {
    const seconds = this.playback ? this.playedSamples / this.playback.sampleRate : 0;
    return this.view.invokeMethodAsync('OnAudioStats', this.playedSamples, seconds, this.peakLevel).catch(() => {});
  }

  startTurn(number) {
    this.turn = { number, sources: [], playedMs: 0, scheduledMs: 0, endRequested: false, reported: 0 };
  }

  play(pcm) {
    if (!this.playback || !this.turn) {
      return;
    }
    const buffer = this.playback.createBuffer(1, pcm.length, this.playback.sampleRate);
    const samples = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i] / 0x8000;
    const node = this.playback.createBufferSource();
    node.buffer = buffer;
    node.connect(this.analyser);
    const startAt = Math.max(this.playback.currentTime + 0.02, this.nextStart);
    node.start(startAt);
    this.nextStart = startAt + buffer.duration;
    const turn = this.turn;
    const entry = { node, startAt, ms: buffer.duration * 1000 };
    turn.sources.push(entry);
    turn.scheduledMs += entry.ms;
    node.onended = () => {
      if (entry.cleared) {
        return;
      }
      turn.sources.splice(turn.sources.indexOf(entry), 1);
      turn.playedMs += entry.ms;
      this.playedSamples += pcm.length;
      if (turn === this.turn) {
        this.reportIfDone();
      }
    };
  }

  /** Reports progress every ~200 ms of audio, and the end of the turn once it is sent and played out. */
  reportIfDone() {
    const turn = this.turn;
    const done = turn.endRequested && turn.sources.length === 0;
    if (done || turn.playedMs - turn.reported >= 200) {
      turn.reported = turn.playedMs;
      this.send({ type: 'played', turn: turn.number, ms: Math.round(turn.playedMs), end: done });
    }
    if (done) {
      this.turn = null;
    }
  }

  /** Barge-in: stop what is playing and drop what is queued; report what was heard of the turn. */
  clear() {
    const turn = this.turn;
    if (!turn) {
      return;
    }
    const now = this.playback ? this.playback.currentTime : 0;
    let heardMs = turn.playedMs;
    for (const entry of turn.sources) {
      entry.cleared = true;
      if (entry.startAt < now) {
        heardMs += Math.min(entry.ms, (now - entry.startAt) * 1000);
      }
      try { entry.node.stop(); } catch { /* not started */ }
    }
    this.send({ type: 'played', turn: turn.number, ms: Math.round(heardMs) });
    this.turn = null;
    this.nextStart = 0;
  }

  async end(message) {
    if (this.ended) {
      return;
    }
    this.ended = true;
    if (call === this) {
      call = null;
    }
    clearInterval(this.stats);
    this.microphone.getTracks().forEach(track => track.stop());
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(1000, 'hung up');
    }
    // Let the last words play out before closing the speaker.
    const remaining = this.playback ? Math.max(0, this.nextStart - this.playback.currentTime) : 0;
    setTimeout(() => {
      this.capture?.close();
      this.playback?.close();
    }, remaining * 1000 + 100);
    await this.reportStats();
    await this.view.invokeMethodAsync('OnCallEnded', message).catch(() => {});
  }
}
