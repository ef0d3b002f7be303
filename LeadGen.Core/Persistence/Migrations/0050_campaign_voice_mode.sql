-- How a campaign's calls carry the conversation: native_audio (Gemini Live over Twilio Media Streams, as before) or
-- conversation_relay (Twilio ConversationRelay does STT/TTS and our text agent talks). Expand-only: the default keeps
-- older code inserting campaigns unchanged.
ALTER TABLE campaigns
    ADD COLUMN voice_mode text NOT NULL DEFAULT 'native_audio' CHECK (voice_mode IN ('native_audio', 'conversation_relay'));
