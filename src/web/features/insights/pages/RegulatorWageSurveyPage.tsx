import { UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Space,
  Table,
  Tag,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import {
  editionExportUrl,
  useCreateEdition,
  useEdition,
  useEditionAction,
  useEditions,
  useImportSurvey,
} from '../insights.api';
import type { Edition, EditionCell } from '../insights.types';
import { positionKey } from '../positions';
import { useVocab } from '../vocab';
import '../insights.css';
import { formatAmount } from '../../../shared/money';

const stateColor = { draft: 'blue', published: 'green', withdrawn: 'default', discarded: 'default' } as const;

/** /regulator/wage-survey: compute a draft edition from a period, import survey tables, review every cell, publish. */
export default function RegulatorWageSurveyPage() {
  const t = useT();
  const { message } = App.useApp();
  useDocumentTitle(t('sec.regulator.wageSurvey'));
  const editions = useEditions();
  const create = useCreateEdition();
  const [selected, setSelected] = useState<string | null>(null);
  const [form] = Form.useForm<{ title: string; period: [dayjs.Dayjs, dayjs.Dayjs]; minSamples: number }>();
  return (
    <div className="console-page insights-page">
      <h1>{t('insights.survey.title')}</h1>
      <p className="muted small">{t('insights.survey.explain')}</p>
      <Card size="small" title={t('insights.survey.new')}>
        <Form
          form={form}
          layout="inline"
          initialValues={{
            title: t('insights.survey.defaultTitle', { year: String(dayjs().year()) }),
            period: [dayjs().subtract(1, 'year').add(1, 'day'), dayjs()],
            minSamples: 5,
          }}
          onFinish={(v) =>
            create.mutate(
              {
                title: v.title,
                periodFrom: v.period[0].format('YYYY-MM-DD'),
                periodTo: v.period[1].format('YYYY-MM-DD'),
                minSamples: v.minSamples,
              },
              {
                onSuccess: (e) => {
                  setSelected(e.id);
                  void message.success(t('insights.survey.created', { n: e.sampleCount }));
                },
                onError: (e) => void message.error(e.message),
              },
            )
          }
        >
          <Form.Item name="title" label={t('insights.survey.field.title')} rules={[{ required: true }]}>
            <Input style={{ width: 280 }} maxLength={100} />
          </Form.Item>
          <Form.Item name="period" label={t('insights.survey.field.period')} rules={[{ required: true }]}>
            <DatePicker.RangePicker allowClear={false} />
          </Form.Item>
          <Form.Item name="minSamples" label={t('insights.survey.field.minSamples')}>
            <InputNumber min={1} max={100} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('insights.survey.compute')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card size="small" title={t('insights.survey.editions')} className="insights-table">
        {editions.isError && <ErrorAlert error={editions.error} />}
        <Table<Edition>
          rowKey="id"
          size="small"
          loading={editions.isPending}
          pagination={false}
          scroll={{ x: true }}
          dataSource={editions.data?.items ?? []}
          rowClassName={(e) => (e.id === selected ? 'insights-selected' : '')}
          columns={[
            {
              title: t('insights.survey.field.title'),
              render: (_, e) => (
                <Button type="link" onClick={() => setSelected(e.id)}>
                  {e.title}
                </Button>
              ),
            },
            { title: t('insights.survey.field.period'), render: (_, e) => `${e.periodFrom} ~ ${e.periodTo}` },
            {
              title: t('insights.survey.state'),
              render: (_, e) => (
                <Tag color={stateColor[e.state]}>{t(`insights.survey.state.${e.state}` as MessageKey)}</Tag>
              ),
            },
            { title: t('insights.survey.samples'), dataIndex: 'sampleCount' },
            { title: t('insights.survey.field.minSamples'), dataIndex: 'minSamples' },
          ]}
        />
      </Card>
      {selected && <EditionPanel id={selected} />}
    </div>
  );
}

function EditionPanel({ id }: { id: string }) {
  const t = useT();
  const v = useVocab();
  const { message } = App.useApp();
  const q = useEdition(id);
  const act = useEditionAction();
  const imp = useImportSurvey();
  if (q.isError) return <ErrorAlert error={q.error} />;
  const e = q.data;
  if (!e) return null;
  return (
    <Card
      size="small"
      className="insights-table"
      title={e.title}
      extra={
        <Space wrap>
          {e.state === 'draft' && (
            <Upload
              accept=".csv,.xlsx"
              showUploadList={false}
              customRequest={({ file }) =>
                imp.mutate(
                  { id, file: file as File },
                  {
                    onSuccess: (r) => void message.success(t('insights.survey.imported', { n: r.imported })),
                    onError: (err) => void message.error(err.message),
                  },
                )
              }
            >
              <Button icon={<UploadOutlined />} loading={imp.isPending}>
                {t('insights.survey.import')}
              </Button>
            </Upload>
          )}
          {e.actions.map((a) => (
            <Popconfirm
              key={a}
              title={t(`insights.survey.confirm.${a}` as MessageKey)}
              onConfirm={() =>
                act.mutate({ id, action: a }, { onError: (err) => void message.error(err.message) })
              }
            >
              <Button type={a === 'publish' ? 'primary' : 'default'} danger={a !== 'publish'}>
                {t(`insights.survey.action.${a}` as MessageKey)}
              </Button>
            </Popconfirm>
          ))}
          <a href={editionExportUrl(id, 'xlsx')}>{t('insights.export.xlsx')}</a>
          <a href={editionExportUrl(id, 'csv')}>{t('insights.export.csvShort')}</a>
        </Space>
      }
    >
      {imp.isError && <ErrorAlert error={imp.error} />}
      <p className="muted small">{t('insights.survey.importHelp')}</p>
      <Table<EditionCell>
        rowKey={(c) => `${c.position}|${c.district}`}
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={e.cells}
        rowClassName={(c) => (c.belowThreshold ? 'insights-thin' : '')}
        columns={[
          { title: t('insights.survey.position'), render: (_, c) => t(positionKey(c.position)) },
          {
            title: t('insights.col.district'),
            render: (_, c) => (c.district ? v.district(c.district) : t('insights.wages.city')),
          },
          { title: t('insights.survey.samples'), dataIndex: 'sampleCount' },
          {
            title: t('insights.survey.sources'),
            render: (_, c) =>
              t('insights.survey.sourcesOf', {
                contract: c.sources.contract,
                order: c.sources.order,
                imported: c.sources.import,
              }),
          },
          { title: 'P25', render: (_, c) => formatAmount(c.p25Fen) },
          { title: 'P50', render: (_, c) => formatAmount(c.p50Fen) },
          { title: 'P75', render: (_, c) => formatAmount(c.p75Fen) },
          {
            title: t('insights.survey.unit'),
            render: (_, c) => t(c.unit === 'hour' ? 'insights.unit.hour' : 'insights.unit.month'),
          },
          {
            title: t('insights.survey.public'),
            render: (_, c) =>
              c.belowThreshold ? (
                <Tag>{t('insights.survey.hiddenPublic')}</Tag>
              ) : (
                <Tag color="green">{t('insights.survey.shownPublic')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
