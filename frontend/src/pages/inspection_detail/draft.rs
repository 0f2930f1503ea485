//! The site checklist being filled in, as plain data: the answers (the shared `Answers`), the
//! photos taken for it, and the id its submission will carry. The draft is kept in IndexedDB
//! at every change (the photo files are in the outbox, next to it), so the inspector loses
//! nothing when the phone closes or reloads the page.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use kiemtra_shared::answers::{AnswerValue, Answers};
use kiemtra_shared::error::FieldError;
use kiemtra_shared::template::{ItemKind, TemplateSchema};
use kiemtra_shared::validate::{prune_hidden, validate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::slots::{SlotRef, Visibility, answer_at};
use crate::outbox::Outbox;
use crate::store::{self, Store, StoreError, Write};

/// Error code of the one check the PWA adds to the shared ones: photos taken for an item that
/// is not answered would be dropped from the submission.
pub const PHOTOS_WITHOUT_ANSWER: &str = "photos_without_answer";
/// Error code for a number field whose text does not read as a number: the draft has no
/// value for it, but submitting would silently leave out what the inspector typed.
pub const UNREADABLE_NUMBER: &str = "unreadable_number";

/// What a photo of the draft is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoUse {
    /// Evidence attached to the answer of an item that `allows_photos`.
    Attachment,
    /// One of the photos that are the answer of a photo item.
    Answer,
    /// The image of a signature item's answer.
    Signature,
}

/// A photo taken on this device for the draft, with what was recorded when it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRecord {
    /// The evidence id, made at capture time: a retried upload is recognised by it.
    pub id: Uuid,
    pub slot: SlotRef,
    pub used_as: PhotoUse,
    /// Lower-case hex would do as well; bytes keep it exact for `Content-Digest`.
    pub sha256: [u8; 32],
    pub captured_at: DateTime<Utc>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Still waiting for the position when the photo was kept.
    pub locating: bool,
}

/// One filled-in site checklist before it is submitted.
///
/// Kept on phones across app updates (see [`save`]): add fields only with
/// `#[serde(default)]`, never rename or remove one, or a stored draft no longer reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The template version the slots refer to.
    pub template_id: Uuid,
    /// The id of the submission: the same for every retry of this draft.
    pub submission_id: Uuid,
    /// The values given. Photos are not in here but in `photos`, until submission: an item can
    /// be photographed before it is answered.
    pub answers: Answers,
    pub photos: Vec<PhotoRecord>,
}

impl Draft {
    /// A blank draft, with the minimum number of instances of each repeated section.
    pub fn new(template_id: Uuid, schema: &TemplateSchema) -> Draft {
        let mut answers = Answers::new();
        for section in &schema.sections {
            if let Some(repeat) = &section.repeat {
                for _ in 0..repeat.min {
                    answers.push_instance(&section.key, Default::default());
                }
            }
        }
        Draft {
            template_id,
            submission_id: Uuid::new_v4(),
            answers,
            photos: Vec::new(),
        }
    }

    pub fn instances(&self, section_key: &str) -> usize {
        self.answers.repeats.get(section_key).map_or(0, Vec::len)
    }

    /// Removes instance `n` of repeated section `section` with its answers and photos; later
    /// instances move up one place.
    pub fn remove_instance(&mut self, section: usize, section_key: &str, n: usize) {
        if let Some(instances) = self.answers.repeats.get_mut(section_key)
            && n < instances.len()
        {
            instances.remove(n);
        }
        self.photos
            .retain(|p| !(p.slot.section == section && p.slot.instance == Some(n)));
        for photo in &mut self.photos {
            if photo.slot.section == section
                && let Some(m) = photo.slot.instance.filter(|m| *m > n)
            {
                photo.slot.instance = Some(m - 1);
            }
        }
    }

    pub fn photos_at(
        &self,
        slot: SlotRef,
        used_as: PhotoUse,
    ) -> impl Iterator<Item = &PhotoRecord> {
        self.photos
            .iter()
            .filter(move |p| p.slot == slot && p.used_as == used_as)
    }

    /// The answers with the photos put where they belong: attachments in `photos`, a photo
    /// item's photos as its value. Signature images are in their value already.
    pub fn merged_answers(&self, schema: &TemplateSchema) -> Answers {
        let mut answers = self.answers.clone();
        let slots: BTreeSet<SlotRef> = self.photos.iter().map(|p| p.slot).collect();
        for slot in slots {
            let ids = |used_as| {
                self.photos_at(slot, used_as)
                    .map(|p| p.id)
                    .collect::<Vec<_>>()
            };
            let Some(item) = schema
                .sections
                .get(slot.section)
                .and_then(|s| s.items.get(slot.item))
            else {
                continue;
            };
            if matches!(item.kind, ItemKind::Photo { .. }) {
                let photos = ids(PhotoUse::Answer);
                let value = (!photos.is_empty()).then_some(AnswerValue::Photos(photos));
                super::slots::set_value(schema, &mut answers, slot, value);
            } else {
                let photos = ids(PhotoUse::Attachment);
                if let Some(answer) = answer_mut(schema, &mut answers, slot) {
                    answer.photos = photos;
                }
            }
        }
        answers
    }

    /// What is submitted: the answers with their photos, without hidden items (their answers
    /// are kept in the draft in case they are shown again).
    pub fn submission(&self, schema: &TemplateSchema) -> Answers {
        prune_hidden(schema, &self.merged_answers(schema))
    }

    /// Everything that stops the draft from being submitted: the shared engine's checks of
    /// what would be submitted, and photos left on visible items without an answer.
    pub fn problems(&self, schema: &TemplateSchema, visibility: &Visibility) -> Vec<FieldError> {
        let mut problems = validate(schema, &self.submission(schema))
            .err()
            .unwrap_or_default();
        let stranded: BTreeSet<SlotRef> = self
            .photos
            .iter()
            .filter(|p| p.used_as == PhotoUse::Attachment)
            .map(|p| p.slot)
            .filter(|slot| {
                visibility.shows(*slot) && answer_at(schema, &self.answers, *slot).is_none()
            })
            .collect();
        for slot in stranded {
            problems.push(FieldError {
                field: slot.with(".photos"),
                code: PHOTOS_WITHOUT_ANSWER.to_owned(),
                message: "Photos were taken for an item that is not answered.".to_owned(),
            });
        }
        problems
    }

    /// The photos a submission refers to, in the order taken.
    pub fn photos_of(&self, answers: &Answers) -> Vec<&PhotoRecord> {
        let mut referenced = BTreeSet::new();
        let mut note = |answer: &kiemtra_shared::answers::Answer| {
            referenced.extend(answer.photos.iter().copied());
            match &answer.value {
                AnswerValue::Photos(ids) => referenced.extend(ids.iter().copied()),
                AnswerValue::Signature(signature) => {
                    referenced.insert(signature.evidence_id);
                }
                _ => {}
            }
        };
        answers.items.values().for_each(&mut note);
        answers
            .repeats
            .values()
            .flatten()
            .flat_map(|instance| instance.values())
            .for_each(&mut note);
        self.photos
            .iter()
            .filter(|p| referenced.contains(&p.id))
            .collect()
    }
}

/// The draft of an inspection's site checklist kept on this device, with the files of its
/// photos. Photos queued in the outbox but missing from the draft (the page closed between
/// taking them and saving the draft) are put back. `None` when there is no draft for this
/// version of the template.
pub async fn restore(
    key: &str,
    inspection_id: Uuid,
    template_id: Uuid,
    schema: &TemplateSchema,
    outbox: &Outbox,
) -> Option<(Draft, HashMap<Uuid, web_sys::Blob>)> {
    let stored = store::get::<Draft>(Store::Drafts, key)
        .await
        .ok()
        .flatten()
        .filter(|draft| draft.template_id == template_id);
    // Only this form's: an inspection's outbox also holds its other forms' files and the
    // enterprise's proof of fixes (`proof.<action id>`).
    let entries: Vec<_> = outbox
        .entries_of(inspection_id)
        .await
        .into_iter()
        .filter(|entry| schema.item(&entry.params.item_key).is_some())
        .collect();
    let mut draft = match stored {
        Some(draft) => draft,
        None if entries.is_empty() => return None,
        None => Draft::new(template_id, schema),
    };
    for entry in &entries {
        if draft.photos.iter().any(|p| p.id == entry.id) {
            continue;
        }
        if let Ok(record) = serde_json::from_str::<PhotoRecord>(&entry.record)
            && record.used_as != PhotoUse::Signature
        {
            draft.photos.push(record);
        }
    }
    let mut files = HashMap::new();
    for photo in &draft.photos {
        if let Ok(Some(file)) = store::get_blob(Store::Blobs, &photo.id.to_string()).await {
            files.insert(photo.id, file);
        }
    }
    Some((draft, files))
}

/// Keeps the draft on this device.
pub async fn save(key: &str, draft: &Draft) -> Result<(), StoreError> {
    store::put(Store::Drafts, key, draft).await
}

/// Forgets the draft once it is submitted.
pub async fn discard(key: &str) -> Result<(), StoreError> {
    store::write(vec![Write::Delete(Store::Drafts, key.to_owned())]).await
}

fn answer_mut<'a>(
    schema: &TemplateSchema,
    answers: &'a mut Answers,
    slot: SlotRef,
) -> Option<&'a mut kiemtra_shared::answers::Answer> {
    let section = schema.sections.get(slot.section)?;
    let key = &section.items.get(slot.item)?.key;
    match (section.repeat.is_some(), slot.instance) {
        (false, _) => answers.items.get_mut(key),
        (true, Some(n)) => answers
            .repeats
            .get_mut(&section.key)?
            .get_mut(n)?
            .get_mut(key),
        (true, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use kiemtra_shared::answers::{Answer, YesNo};
    use kiemtra_shared::validate::rule;

    use super::super::slots::fixture::site_checklist;
    use super::super::slots::set_value;
    use super::*;

    fn photo(slot: SlotRef, used_as: PhotoUse) -> PhotoRecord {
        PhotoRecord {
            id: Uuid::new_v4(),
            slot,
            used_as,
            sha256: [0; 32],
            captured_at: Utc::now(),
            latitude: None,
            longitude: None,
            locating: false,
        }
    }

    fn slot(schema: &TemplateSchema, key: &str, instance: Option<usize>) -> SlotRef {
        let at = schema.locate(key).unwrap();
        SlotRef {
            section: at.section_index,
            instance,
            item: at.item_index,
        }
    }

    #[test]
    fn photos_go_with_their_answer_and_hidden_answers_are_left_out() {
        let schema = site_checklist();
        let mut draft = Draft::new(Uuid::nil(), &schema);
        let guards = slot(&schema, "osh.machine_guards", None);
        set_value(
            &schema,
            &mut draft.answers,
            guards,
            Some(AnswerValue::YesNo(YesNo::Yes)),
        );
        let evidence = photo(guards, PhotoUse::Attachment);
        draft.photos.push(evidence.clone());
        draft.answers.set(
            "osh.boiler_operators_trained",
            Answer::new(AnswerValue::YesNo(YesNo::No)),
        );

        let submitted = draft.submission(&schema);
        assert_eq!(
            submitted.items["osh.machine_guards"].photos,
            vec![evidence.id]
        );
        assert!(!submitted.items.contains_key("osh.boiler_operators_trained"));
        assert_eq!(draft.photos_of(&submitted), vec![&evidence]);
        let visibility = Visibility::of(&schema, &draft.answers);
        assert_eq!(draft.problems(&schema, &visibility), Vec::new());
    }

    #[test]
    fn photos_of_an_unanswered_item_hold_the_submission_back() {
        let schema = site_checklist();
        let mut draft = Draft::new(Uuid::nil(), &schema);
        let guards = slot(&schema, "osh.machine_guards", None);
        draft.photos.push(photo(guards, PhotoUse::Attachment));
        let visibility = Visibility::of(&schema, &draft.answers);
        let codes: Vec<String> = draft
            .problems(&schema, &visibility)
            .into_iter()
            .map(|e| format!("{} {}", e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                format!("sections[0].items[0] {}", rule::REQUIRED),
                format!("sections[0].items[0].photos {PHOTOS_WITHOUT_ANSWER}"),
            ]
        );
    }

    #[test]
    fn removing_a_workshop_moves_the_later_ones_up_with_their_photos() {
        let schema = site_checklist();
        let mut draft = Draft::new(Uuid::nil(), &schema);
        for name in ["A", "B", "C"] {
            let n = draft.answers.push_instance("workshops", Default::default());
            let at = slot(&schema, "workshop.name", Some(n));
            set_value(
                &schema,
                &mut draft.answers,
                at,
                Some(AnswerValue::Text(name.into())),
            );
            draft.photos.push(photo(
                slot(&schema, "workshop.photos", Some(n)),
                PhotoUse::Answer,
            ));
        }
        let section = slot(&schema, "workshop.name", None).section;
        draft.remove_instance(section, "workshops", 1);

        let names: Vec<&AnswerValue> = draft.answers.repeats["workshops"]
            .iter()
            .map(|i| &i["workshop.name"].value)
            .collect();
        assert_eq!(
            names,
            vec![
                &AnswerValue::Text("A".into()),
                &AnswerValue::Text("C".into())
            ]
        );
        let instances: Vec<Option<usize>> = draft.photos.iter().map(|p| p.slot.instance).collect();
        assert_eq!(instances, vec![Some(0), Some(1)]);
        let merged = draft.merged_answers(&schema);
        assert!(matches!(
            &merged.repeats["workshops"][1]["workshop.photos"].value,
            AnswerValue::Photos(ids) if ids == &vec![draft.photos[1].id]
        ));
    }
}
