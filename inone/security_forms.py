from django import forms

from sso.metadata_import import MAX_METADATA_BYTES


class MetadataUploadForm(forms.Form):
    metadata = forms.FileField(
        label="IdP metadata XML",
        help_text="The file your IdP exports, such as JumpCloud-<app>-metadata.xml.",
    )

    def clean_metadata(self) -> bytes:
        upload = self.cleaned_data["metadata"]
        if upload.size > MAX_METADATA_BYTES:
            raise forms.ValidationError(
                f"The file has {upload.size} bytes, but IdP metadata may have at most "
                f"{MAX_METADATA_BYTES}. Export the metadata of this one application."
            )
        return upload.read()


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="A label you recognise later, such as 'jumpcloud'.",
    )
    expires_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Expires after (days)",
        help_text="Leave empty for a token that does not expire.",
    )


class TokenRevokeForm(forms.Form):
    token_id = forms.IntegerField(min_value=1)
