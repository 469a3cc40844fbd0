import { Button } from 'antd';
import SignaturePad from 'signature_pad';
import { useEffect, useRef } from 'react';
import { useT } from '../../shared/i18n';

/**
 * A hand-drawn signature on a canvas sized to its container (phone-first: touch and pen work through pointer
 * events). Reports a PNG data URL after each stroke, or null when cleared.
 */
export function SignaturePadField({ onChange }: { onChange: (png: string | null) => void }) {
  const t = useT();
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const pad = new SignaturePad(canvas, { minWidth: 1, maxWidth: 2.6, penColor: '#111' });
    padRef.current = pad;
    // The canvas's pixel size follows its CSS size and the screen's density, or strokes land off the finger.
    const resize = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const w = canvas.offsetWidth;
      canvas.width = w * ratio;
      canvas.height = Math.round(w * 0.45) * ratio;
      canvas.style.height = `${Math.round(w * 0.45)}px`;
      canvas.getContext('2d')?.scale(ratio, ratio);
      pad.clear();
      changeRef.current(null);
    };
    resize();
    const ro = new ResizeObserver(() => {
      if (canvas.width !== canvas.offsetWidth * Math.max(window.devicePixelRatio || 1, 1)) resize();
    });
    ro.observe(canvas);
    const ended = () => changeRef.current(pad.isEmpty() ? null : pad.toDataURL('image/png'));
    pad.addEventListener('endStroke', ended);
    return () => {
      ro.disconnect();
      pad.removeEventListener('endStroke', ended);
      pad.off();
    };
  }, []);

  return (
    <div className="contract-sign-pad">
      <canvas ref={canvasRef} aria-label={t('contracts.sign.pad')} data-testid="signature-pad" />
      <Button
        size="small"
        onClick={() => {
          padRef.current?.clear();
          onChange(null);
        }}
      >
        {t('contracts.sign.clear')}
      </Button>
    </div>
  );
}
