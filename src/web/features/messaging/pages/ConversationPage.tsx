import { PictureOutlined, SearchOutlined, SendOutlined, VideoCameraOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Input,
  InputNumber,
  List,
  Modal,
  Space,
  Tag,
  Upload,
  message as toast,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import {
  fetchMessages,
  markRead,
  searchMessages,
  sendImage,
  sendText,
  useConversation,
  useConversationActions,
  useRealtime,
  useScheduleInterview,
} from '../messaging.api';
import type { MessageView, ServerFrame } from '../messaging.types';
import { realtime } from '../realtime';
import { counterpartOf, formatTime, newClientKey, systemKeyOf, useMessagesBase } from '../util';
import '../messaging.css';

/** One conversation: history (older on demand), live delivery, catch-up after a reconnect, read receipts. */
export default function ConversationPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const baseUrl = useMessagesBase();
  const navigate = useNavigate();
  const conv = useConversation(id);
  const actions = useConversationActions(id);
  const schedule = useScheduleInterview();
  // Messages keyed by seq: live frames, catch-up and HTTP pages merge without duplicates.
  const [bySeq, setBySeq] = useState<Map<number, MessageView>>(new Map());
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const [othersRead, setOthersRead] = useState(0);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [searchOpen, setSearchOpen] = useState(false);
  const [hits, setHits] = useState<MessageView[] | null>(null);
  const [reportOpen, setReportOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [interviewOpen, setInterviewOpen] = useState(false);
  const [when, setWhen] = useState<Dayjs | null>(null);
  const [minutes, setMinutes] = useState(30);
  const bottom = useRef<HTMLDivElement>(null);
  const maxSeq = useRef(0);

  const c = conv.data;
  useDocumentTitle(c ? counterpartOf(c) : t('messaging.inbox.title'));

  const merge = useCallback((items: MessageView[]) => {
    if (!items.length) return;
    setBySeq((prev) => {
      const next = new Map(prev);
      for (const m of items) next.set(m.seq, m);
      return next;
    });
    maxSeq.current = Math.max(maxSeq.current, ...items.map((m) => m.seq));
  }, []);

  useEffect(() => {
    setBySeq(new Map());
    maxSeq.current = 0;
    fetchMessages(id, {})
      .then((page) => {
        merge(page.items);
        setOlderCursor(page.nextCursor);
      })
      .catch(setError);
  }, [id, merge]);

  useEffect(() => {
    if (c) setOthersRead((r) => Math.max(r, c.othersReadSeq));
  }, [c]);

  // Tell the others how far I have read whenever newer messages are shown.
  const lastShown = useMemo(() => Math.max(0, ...bySeq.keys()), [bySeq]);
  useEffect(() => {
    if (lastShown > 0) markRead(id, lastShown).catch(() => undefined);
    bottom.current?.scrollIntoView?.({ block: 'end' });
  }, [id, lastShown]);

  const onFrame = useCallback(
    (f: ServerFrame) => {
      if (f.type === 'ready') realtime.send({ type: 'resume', conversationId: id, afterSeq: maxSeq.current });
      if (f.type === 'message' && f.message.conversationId === id) merge([f.message]);
      if (f.type === 'read' && f.conversationId === id) setOthersRead((r) => Math.max(r, f.seq));
    },
    [id, merge],
  );
  useRealtime(onFrame);

  const send = async () => {
    const body = text.trim();
    if (!body) return;
    setSending(true);
    setError(null);
    try {
      merge([await sendText(id, body, newClientKey())]);
      setText('');
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };

  const loadOlder = async () => {
    if (!olderCursor) return;
    const page = await fetchMessages(id, { cursor: olderCursor });
    merge(page.items);
    setOlderCursor(page.nextCursor);
  };

  const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const lastMine = [...messages].reverse().find((m) => m.mine);
  const canInterview = c?.worker && c.mySide !== 'worker';

  return (
    <div className="console-page messaging-page">
      <Card
        title={
          <Space wrap>
            <BackLink to={baseUrl}>{t('messaging.back')}</BackLink>
            <span data-testid="conversation-title">{c ? counterpartOf(c) : ''}</span>
          </Space>
        }
        extra={
          <Space wrap className="messaging-toolbar">
            <Button
              size="small"
              icon={<SearchOutlined />}
              onClick={() => setSearchOpen(true)}
              aria-label={t('messaging.search')}
            />
            {canInterview ? (
              <Button size="small" icon={<VideoCameraOutlined />} onClick={() => setInterviewOpen(true)}>
                {t('messaging.interview.schedule')}
              </Button>
            ) : null}
          </Space>
        }
      >
        {conv.error ? <ErrorAlert error={conv.error} /> : null}
        {c?.blockedByOther ? (
          <Alert type="warning" showIcon message={t('messaging.blocked.byOther')} />
        ) : null}
        {olderCursor ? (
          <Button type="link" block onClick={loadOlder}>
            {t('messaging.older')}
          </Button>
        ) : null}
        <div className="messaging-thread" data-testid="thread">
          {messages.map((m) =>
            m.kind === 'system' ? (
              <div key={m.seq} className="messaging-system" data-seq={m.seq}>
                {t(systemKeyOf(m))} · {formatTime(m.createdAt, locale)}
              </div>
            ) : (
              <div key={m.seq} className={`messaging-bubble-row${m.mine ? ' mine' : ''}`} data-seq={m.seq}>
                <div className="messaging-bubble">
                  {m.kind === 'image' && m.imageUrl ? (
                    <img src={m.imageUrl} alt={t('messaging.image')} />
                  ) : (
                    m.body
                  )}
                </div>
                {m.privacyFlags.length ? (
                  <Alert
                    className="messaging-privacy"
                    type="warning"
                    showIcon
                    message={t('messaging.privacy.warning')}
                  />
                ) : null}
                <div className="messaging-meta">
                  {m.mine ? '' : `${m.sender?.name ?? ''} · `}
                  {formatTime(m.createdAt, locale)}
                  {m.mine && lastMine?.seq === m.seq ? (
                    <span data-testid="receipt">
                      {' '}
                      · {othersRead >= m.seq ? t('messaging.read') : t('messaging.sent')}
                    </span>
                  ) : null}
                </div>
              </div>
            ),
          )}
          <div ref={bottom} />
        </div>
        {error ? <ErrorAlert error={error} /> : null}
        <div className="messaging-composer">
          <Upload
            accept="image/jpeg,image/png"
            showUploadList={false}
            beforeUpload={(file) => {
              sendImage(id, file)
                .then((m) => merge([m]))
                .catch((e: Error) => toast.error(e.message));
              return false;
            }}
          >
            <Button icon={<PictureOutlined />} aria-label={t('messaging.image')} />
          </Upload>
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={2000}
            autoSize={{ minRows: 1, maxRows: 4 }}
            placeholder={t('messaging.placeholder')}
            aria-label={t('messaging.placeholder')}
            onPressEnter={(e) => {
              if (!e.shiftKey) {
                e.preventDefault();
                void send();
              }
            }}
          />
          <Button type="primary" icon={<SendOutlined />} loading={sending} onClick={send}>
            {t('messaging.send')}
          </Button>
        </div>
        <Space wrap style={{ marginTop: 12 }}>
          {c?.blockedByMe ? (
            <Button size="small" onClick={() => actions.unblock.mutate()}>
              {t('messaging.unblock')}
            </Button>
          ) : (
            <Button size="small" danger onClick={() => actions.block.mutate()}>
              {t('messaging.block')}
            </Button>
          )}
          <Button size="small" onClick={() => setReportOpen(true)}>
            {t('messaging.report')}
          </Button>
        </Space>
      </Card>

      <Modal
        open={searchOpen}
        title={t('messaging.search')}
        footer={null}
        onCancel={() => setSearchOpen(false)}
      >
        <Input.Search
          enterButton
          maxLength={50}
          onSearch={(q) =>
            q.trim() ? searchMessages(id, q.trim()).then((p) => setHits(p.items)) : setHits(null)
          }
        />
        {hits ? (
          <List
            dataSource={hits}
            locale={{ emptyText: t('messaging.search.none') }}
            renderItem={(m) => (
              <List.Item>
                <span>{m.body}</span>
                <span className="messaging-time">{formatTime(m.createdAt, locale)}</span>
              </List.Item>
            )}
          />
        ) : null}
      </Modal>

      <Modal
        open={reportOpen}
        title={t('messaging.report')}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: actions.report.isPending }}
        onCancel={() => setReportOpen(false)}
        onOk={async () => {
          await actions.report.mutateAsync(reason.trim());
          setReportOpen(false);
          setReason('');
          toast.success(t('messaging.report.done'));
        }}
      >
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          placeholder={t('messaging.report.reason')}
        />
      </Modal>

      <Modal
        open={interviewOpen}
        title={t('messaging.interview.schedule')}
        okButtonProps={{ disabled: !when, loading: schedule.isPending }}
        onCancel={() => setInterviewOpen(false)}
        onOk={async () => {
          if (!c?.worker || !when) return;
          const iv = await schedule.mutateAsync({
            workerId: c.worker.id,
            scheduledAt: when.toDate().toISOString(),
            durationMinutes: minutes,
            conversationId: c.id,
            companyId: c.mySide === 'company' ? (c.company?.id ?? null) : null,
          });
          setInterviewOpen(false);
          navigate(`${baseUrl}/interviews/${iv.id}`);
        }}
      >
        {schedule.error ? <Tag color="red">{String((schedule.error as Error).message)}</Tag> : null}
        <Space direction="vertical" style={{ width: '100%' }}>
          <DatePicker
            showTime={{ format: 'HH:mm', minuteStep: 5 }}
            format="YYYY-MM-DD HH:mm"
            value={when}
            onChange={setWhen}
            style={{ width: '100%' }}
            aria-label={t('messaging.interview.when')}
          />
          <Space>
            {t('messaging.interview.minutes')}
            <InputNumber min={5} max={180} step={5} value={minutes} onChange={(v) => setMinutes(v ?? 30)} />
          </Space>
        </Space>
      </Modal>
    </div>
  );
}
