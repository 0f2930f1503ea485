//! Signing the record (biên bản) on the phone: the signer draws in a box with a finger (pointer
//! events, so mouse and pen work too); "Lưu chữ ký" keeps the drawing as a PNG, which is
//! uploaded as evidence like a photo and named by the answer with the signer's name and role.

use kiemtra_shared::answers::{AnswerValue, Signature};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use super::fields::{FieldActions, InputCommon};
use super::slots::SlotRef;
use crate::browser;
use crate::components::photo::BlobImage;
use crate::i18n::use_strings;

/// Height of the signing box in CSS pixels; its width is the card's.
const PAD_HEIGHT: f64 = 180.0;

#[derive(Properties, PartialEq)]
pub struct SignatureInputProps {
    pub common: InputCommon,
    pub slot: SlotRef,
    pub value: Option<Signature>,
    /// The saved image, when it was drawn on this device.
    pub image: Option<web_sys::Blob>,
    pub actions: FieldActions,
}

#[component]
pub fn SignatureInput(props: &SignatureInputProps) -> Html {
    let strings = use_strings();
    let common = &props.common;
    let slot = props.slot;
    let name = use_state(|| {
        props
            .value
            .as_ref()
            .map(|s| s.signer_name.clone())
            .unwrap_or_default()
    });
    let role = use_state(|| {
        props
            .value
            .as_ref()
            .map(|s| s.signer_role.clone())
            .unwrap_or_default()
    });
    let canvas = use_node_ref();
    let has_strokes = use_state(|| false);
    let saving = use_state(|| false);
    // The last point of the stroke being drawn; `None` between strokes.
    let pen = use_mut_ref(|| None::<(f64, f64)>);

    // A fresh, white box whenever it is shown (again, after "Ký lại").
    {
        let (canvas, has_strokes) = (canvas.clone(), has_strokes.clone());
        use_effect_with(props.value.is_some(), move |signed| {
            if !*signed {
                prepare(&canvas);
                has_strokes.set(false);
            }
        });
    }

    let edit = |field: UseStateHandle<String>, is_name: bool| {
        let (on_value, value) = (props.actions.on_value.clone(), props.value.clone());
        let other = if is_name {
            (*role).clone()
        } else {
            (*name).clone()
        };
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            field.set(text.clone());
            // Once signed, the answer follows the name and role.
            if let Some(signature) = &value {
                let (signer_name, signer_role) = if is_name {
                    (text, other.clone())
                } else {
                    (other.clone(), text)
                };
                on_value.emit((
                    slot,
                    Some(AnswerValue::Signature(Signature {
                        evidence_id: signature.evidence_id,
                        signer_name,
                        signer_role,
                    })),
                ));
            }
        })
    };
    let on_name = edit(name.clone(), true);
    let on_role = edit(role.clone(), false);

    let onpointerdown = {
        let (canvas, pen) = (canvas.clone(), pen.clone());
        let disabled = common.disabled;
        Callback::from(move |e: PointerEvent| {
            if disabled {
                return;
            }
            e.prevent_default();
            if let Some(element) = canvas.cast::<HtmlCanvasElement>() {
                let _ = element.set_pointer_capture(e.pointer_id());
                let point = point_in(&element, &e);
                *pen.borrow_mut() = Some(point);
                // A tap makes a dot.
                draw(&element, point, point);
            }
        })
    };
    let onpointermove = {
        let (canvas, pen, has_strokes) = (canvas.clone(), pen.clone(), has_strokes.clone());
        Callback::from(move |e: PointerEvent| {
            let Some(from) = *pen.borrow() else {
                return;
            };
            e.prevent_default();
            if let Some(element) = canvas.cast::<HtmlCanvasElement>() {
                let to = point_in(&element, &e);
                draw(&element, from, to);
                *pen.borrow_mut() = Some(to);
                if !*has_strokes {
                    has_strokes.set(true);
                }
            }
        })
    };
    let end_stroke = {
        let (pen, has_strokes) = (pen.clone(), has_strokes.clone());
        Callback::from(move |_: PointerEvent| {
            if pen.borrow_mut().take().is_some() && !*has_strokes {
                has_strokes.set(true);
            }
        })
    };
    let clear = {
        let (canvas, has_strokes) = (canvas.clone(), has_strokes.clone());
        Callback::from(move |_: MouseEvent| {
            prepare(&canvas);
            has_strokes.set(false);
        })
    };
    let save = {
        let (canvas, saving) = (canvas.clone(), saving.clone());
        let on_signature = props.actions.on_signature.clone();
        let (name, role) = (name.clone(), role.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(element) = canvas.cast::<HtmlCanvasElement>() else {
                return;
            };
            saving.set(true);
            let (saving, on_signature) = (saving.clone(), on_signature.clone());
            let (name, role) = ((*name).clone(), (*role).clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(png) = browser::canvas_png(&element).await {
                    on_signature.emit((slot, png, name, role));
                }
                saving.set(false);
            });
        })
    };
    let sign_again = {
        let on_clear = props.actions.on_clear_signature.clone();
        Callback::from(move |_: MouseEvent| on_clear.emit(slot))
    };
    let id = &common.id;

    html! {
        <div class="signature">
            <div class="signature__who">
                <label class="field">
                    <span class="field__label">{ strings.signer_name }</span>
                    <input type="text" class="input" id={format!("{id}-name")} value={(*name).clone()}
                        oninput={on_name} disabled={common.disabled} autocomplete="name" />
                </label>
                <label class="field">
                    <span class="field__label">{ strings.signer_role }</span>
                    <input type="text" class="input" id={format!("{id}-role")} value={(*role).clone()}
                        oninput={on_role} disabled={common.disabled} autocomplete="organization-title" />
                </label>
            </div>
            if props.value.is_some() {
                <figure class="signature__saved">
                    if let Some(image) = &props.image {
                        <BlobImage blob={image.clone()} alt={strings.signature} />
                    }
                </figure>
                <button type="button" class="button button--secondary" onclick={sign_again} disabled={common.disabled}>
                    { strings.sign_again }
                </button>
            } else {
                <p class="field__hint">{ strings.sign_here }</p>
                <canvas ref={canvas} class="signature__pad" role="img" aria-label={strings.sign_here}
                    {onpointerdown} {onpointermove} onpointerup={end_stroke.clone()}
                    onpointercancel={end_stroke.clone()} onpointerleave={end_stroke} />
                <div class="signature__actions">
                    <button type="button" class="button button--secondary" onclick={clear}
                        disabled={common.disabled || !*has_strokes}>{ strings.clear_strokes }</button>
                    <button type="button" class="button button--primary" onclick={save}
                        disabled={common.disabled || !*has_strokes || *saving}>{ strings.save_signature }</button>
                </div>
            }
        </div>
    }
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()?
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()
}

/// Sizes the canvas to its box at the screen's pixel density (sharp lines) and paints it white
/// (the PNG must not be transparent: a viewer may show it on black).
fn prepare(canvas: &NodeRef) {
    let Some(canvas) = canvas.cast::<HtmlCanvasElement>() else {
        return;
    };
    let ratio = gloo::utils::window().device_pixel_ratio().max(1.0);
    let width = f64::from(canvas.client_width()).max(1.0);
    canvas.set_width((width * ratio).round() as u32);
    canvas.set_height((PAD_HEIGHT * ratio).round() as u32);
    let Some(g) = context(&canvas) else {
        return;
    };
    g.set_fill_style_str("#ffffff");
    g.fill_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    g.set_stroke_style_str("#0b1f33");
    g.set_line_width(2.5 * ratio);
    g.set_line_cap("round");
    g.set_line_join("round");
}

/// Where a pointer is, in the canvas's own pixels: measured against the box as it is now, so
/// that a phone turned after the box was prepared still draws under the finger.
fn point_in(canvas: &HtmlCanvasElement, e: &PointerEvent) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let scale_x = f64::from(canvas.width()) / rect.width().max(1.0);
    let scale_y = f64::from(canvas.height()) / rect.height().max(1.0);
    (
        (f64::from(e.client_x()) - rect.left()) * scale_x,
        (f64::from(e.client_y()) - rect.top()) * scale_y,
    )
}

fn draw(canvas: &HtmlCanvasElement, from: (f64, f64), to: (f64, f64)) {
    if let Some(g) = context(canvas) {
        g.begin_path();
        g.move_to(from.0, from.1);
        // A zero-length line draws nothing; a tap should leave a dot.
        g.line_to(to.0 + 0.01, to.1);
        g.stroke();
    }
}
