import { AudioMutedOutlined, AudioOutlined, PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Input, Radio, Space, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useInterview, useInterviewSteps, useRealtime } from '../messaging.api';
import type { InterviewRoom, ServerFrame, SignalData } from '../messaging.types';
import { realtime } from '../realtime';
import { formatTime, useMessagesBase } from '../util';
import '../messaging.css';

type ConnState = RTCPeerConnectionState | 'idle';

/**
 * The interview room: camera preview, WebRTC peer to peer with signaling over the app's socket, mute, camera
 * off, hang up, and the connection state (also in `data-state` for tests). The organizer makes the offer, so
 * exactly one side does, whoever joins first.
 */
export default function InterviewRoomPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const baseUrl = useMessagesBase();
  const q = useInterview(id);
  const steps = useInterviewSteps(id);
  useDocumentTitle(t('messaging.interview.room'));
  const [room, setRoom] = useState<InterviewRoom | null>(null);
  const [state, setState] = useState<ConnState>('idle');
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [outcome, setOutcome] = useState<'proceed' | 'decline'>('proceed');
  const localVideo = useRef<HTMLVideoElement>(null);
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const pc = useRef<RTCPeerConnection | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const pendingIce = useRef<RTCIceCandidateInit[]>([]);
  const roomRef = useRef<InterviewRoom | null>(null);

  const signal = useCallback(
    (data: SignalData) => realtime.send({ type: 'signal', interviewId: id, data }),
    [id],
  );

  const newPeer = useCallback(() => {
    pc.current?.close();
    const r = roomRef.current;
    const peer = new RTCPeerConnection({ iceServers: r?.iceServers ?? [] });
    pc.current = peer;
    pendingIce.current = [];
    for (const track of stream.current?.getTracks() ?? []) peer.addTrack(track, stream.current!);
    peer.onicecandidate = (e) =>
      signal({ kind: 'ice', candidate: e.candidate ? e.candidate.toJSON() : null });
    peer.ontrack = (e) => {
      if (remoteVideo.current && e.streams[0]) {
        remoteVideo.current.srcObject = e.streams[0];
        void remoteVideo.current.play().catch(() => undefined);
      }
    };
    peer.onconnectionstatechange = () => setState(peer.connectionState);
    setState(peer.connectionState);
    return peer;
  }, [signal]);

  const makeOffer = useCallback(async () => {
    const peer = newPeer();
    const offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    signal({ kind: 'offer', sdp: offer.sdp ?? '' });
  }, [newPeer, signal]);

  const onFrame = useCallback(
    async (f: ServerFrame) => {
      const r = roomRef.current;
      if (!r) return;
      if (f.type === 'ready') signal({ kind: 'hello' });
      if (f.type !== 'signal' || f.interviewId !== id) return;
      const d = f.data;
      const organizer = r.myParty === 'organizer';
      if (d.kind === 'hello') {
        if (!d.reply) signal({ kind: 'hello', reply: true });
        // One offer per arrival: skip while an offer awaits its answer; a hello after a finished negotiation
        // means the other side came back, so negotiate again.
        const p = pc.current;
        if (organizer && (!p?.localDescription || p.remoteDescription)) await makeOffer();
      } else if (d.kind === 'offer') {
        const peer = newPeer();
        await peer.setRemoteDescription({ type: 'offer', sdp: d.sdp });
        const answer = await peer.createAnswer();
        await peer.setLocalDescription(answer);
        signal({ kind: 'answer', sdp: answer.sdp ?? '' });
        for (const c of pendingIce.current.splice(0)) await peer.addIceCandidate(c);
      } else if (d.kind === 'answer' && pc.current) {
        await pc.current.setRemoteDescription({ type: 'answer', sdp: d.sdp });
        for (const c of pendingIce.current.splice(0)) await pc.current.addIceCandidate(c);
      } else if (d.kind === 'ice' && d.candidate) {
        if (pc.current?.remoteDescription) await pc.current.addIceCandidate(d.candidate);
        else pendingIce.current.push(d.candidate);
      } else if (d.kind === 'bye') {
        pc.current?.close();
        pc.current = null;
        setState('closed');
      }
    },
    [id, makeOffer, newPeer, signal],
  );
  const listener = useCallback((f: ServerFrame) => void onFrame(f).catch(() => undefined), [onFrame]);
  useRealtime(listener);

  const join = async () => {
    setMediaError(null);
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { width: 640, height: 480 },
      });
    } catch (e) {
      setMediaError((e as Error).message || 'media');
      return;
    }
    if (localVideo.current) {
      localVideo.current.srcObject = stream.current;
      void localVideo.current.play().catch(() => undefined);
    }
    const r = await steps.join.mutateAsync();
    roomRef.current = r;
    setRoom(r);
    newPeer();
    signal({ kind: 'hello' });
  };

  const hangUp = useCallback(() => {
    signal({ kind: 'bye' });
    pc.current?.close();
    pc.current = null;
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
    roomRef.current = null;
    setRoom(null);
    setState('idle');
  }, [signal]);

  useEffect(
    () => () => {
      pc.current?.close();
      for (const track of stream.current?.getTracks() ?? []) track.stop();
    },
    [],
  );

  const toggleMute = () => {
    for (const track of stream.current?.getAudioTracks() ?? []) track.enabled = muted;
    setMuted(!muted);
  };
  const toggleCamera = () => {
    for (const track of stream.current?.getVideoTracks() ?? []) track.enabled = cameraOff;
    setCameraOff(!cameraOff);
  };

  const iv = q.data;
  const stateColor: Record<ConnState, string> = {
    idle: 'default',
    new: 'default',
    connecting: 'processing',
    connected: 'success',
    disconnected: 'warning',
    failed: 'error',
    closed: 'default',
  };
  return (
    <div className="console-page messaging-page">
      <Card
        title={t('messaging.interview.room')}
        extra={<BackLink to={`${baseUrl}/interviews`}>{t('messaging.back')}</BackLink>}
      >
        {q.error ? <ErrorAlert error={q.error} /> : null}
        {steps.join.error ? <ErrorAlert error={steps.join.error} /> : null}
        {iv ? (
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('messaging.interview.with')}>
              {iv.myParty === 'worker' ? iv.organizer.company?.name || iv.organizer.name : iv.worker.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('messaging.interview.when')}>
              {formatTime(iv.scheduledAt, locale)} · {iv.durationMinutes} {t('messaging.interview.min')}
            </Descriptions.Item>
            <Descriptions.Item label={t('messaging.interview.status')}>
              <Tag>{t(`messaging.interview.state.${iv.state}`)}</Tag>
              <Tag color={stateColor[state]} data-testid="conn-state" data-state={state}>
                {t(`messaging.conn.${state}`)}
              </Tag>
            </Descriptions.Item>
          </Descriptions>
        ) : null}
        {mediaError ? (
          <Alert
            type="error"
            showIcon
            message={t('messaging.interview.mediaError')}
            description={mediaError}
          />
        ) : null}
        <div className="interview-room">
          <video ref={remoteVideo} data-testid="remote-video" autoPlay playsInline>
            {/* A live call has no caption file; the empty track keeps the element valid for assistive tech. */}
            <track kind="captions" />
          </video>
          <video
            ref={localVideo}
            className="interview-local"
            data-testid="local-video"
            autoPlay
            playsInline
            muted
          />
        </div>
        <Space wrap style={{ marginTop: 12 }}>
          {!room && iv?.canJoinRoom ? (
            <Button
              type="primary"
              icon={<VideoCameraOutlined />}
              onClick={join}
              loading={steps.join.isPending}
            >
              {t('messaging.interview.join')}
            </Button>
          ) : null}
          {room ? (
            <>
              <Button icon={muted ? <AudioMutedOutlined /> : <AudioOutlined />} onClick={toggleMute}>
                {muted ? t('messaging.interview.unmute') : t('messaging.interview.mute')}
              </Button>
              <Button onClick={toggleCamera}>
                {cameraOff ? t('messaging.interview.cameraOn') : t('messaging.interview.cameraOff')}
              </Button>
              <Button danger icon={<PhoneOutlined />} onClick={hangUp}>
                {t('messaging.interview.hangUp')}
              </Button>
            </>
          ) : null}
          {iv?.actions.includes('cancel') && !room ? (
            <Button onClick={() => steps.cancel.mutate()}>{t('messaging.interview.cancel')}</Button>
          ) : null}
        </Space>
        {iv?.actions.includes('complete') ? (
          <Card size="small" title={t('messaging.interview.outcome')} style={{ marginTop: 16 }}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                <Radio value="proceed">{t('messaging.interview.proceed')}</Radio>
                <Radio value="decline">{t('messaging.interview.decline')}</Radio>
              </Radio.Group>
              <Input.TextArea
                value={notes}
                maxLength={2000}
                onChange={(e) => setNotes(e.target.value)}
                placeholder={t('messaging.interview.notes')}
              />
              <Button
                type="primary"
                loading={steps.outcome.isPending}
                onClick={() =>
                  steps.outcome.mutate({ outcome, ...(notes.trim() ? { notes: notes.trim() } : {}) })
                }
              >
                {t('messaging.interview.record')}
              </Button>
            </Space>
          </Card>
        ) : null}
        {iv?.outcome ? (
          <Alert
            style={{ marginTop: 16 }}
            type={iv.outcome === 'proceed' ? 'success' : 'info'}
            message={t(
              iv.outcome === 'proceed' ? 'messaging.interview.proceed' : 'messaging.interview.decline',
            )}
            description={
              <>
                {iv.notes ? <p>{iv.notes}</p> : null}
                {iv.bookingPath && iv.myParty === 'organizer' ? (
                  <Link to={iv.bookingPath}>{t('messaging.interview.book')}</Link>
                ) : null}
              </>
            }
          />
        ) : null}
      </Card>
    </div>
  );
}
